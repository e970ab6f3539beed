/**
 * The HTTP API: thin JAX-RS resources, request and response records, input rules, the problem+json
 * mappers.
 *
 * <p>The annotation holds the parts of the OpenAPI document ({@code /q/openapi}) that belong to no one
 * resource: its info, tags and security schemes, and the problem answers the resources share by
 * reference ({@code ref = "NotFound"} and so on). SmallRye OpenAPI reads {@code @OpenAPIDefinition}
 * only here or on a JAX-RS {@code Application}; documentation only, it takes no part in serving.
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Rendezvous",
                        version = "1",
                        description = "Lets one HTTP request wait for the result of asynchronous work that another"
                                + " HTTP request delivers later. A client creates a correlation and waits; a worker"
                                + " posts the result with the correlation's callback token; every waiting client"
                                + " receives it. Every error is an RFC 9457 `application/problem+json` document,"
                                + " those of the connection too: `408` for a request head not complete within"
                                + " `header-timeout`, `414` and `431` for a request line or headers too large, `400`"
                                + " for malformed HTTP/1.1, a missing or repeated `Host` or another HTTP version;"
                                + " each closes its connection. With API keys on, client-chosen IDs are"
                                + " scoped per key, and worker URLs carry the scoped ID."),
        tags = {
            @Tag(name = "Correlations", description = "Create, watch, wait for and cancel correlations."),
            @Tag(
                    name = "Callbacks",
                    description = "Callbacks of the worker doing the work, authenticated by the callback token."),
            @Tag(
                    name = "Routes",
                    description = "Submit a job to a configured route and wait for its outcome in one request;"
                            + " pull workers take jobs here.")
        },
        components =
                @Components(
                        headers = {
                            @Header(
                                    name = "Retry-After",
                                    description = "Seconds to wait before trying again.",
                                    schema = @Schema(type = SchemaType.INTEGER)),
                            @Header(
                                    name = "Preference-Applied",
                                    description = "The `wait` preference applied (RFC 7240), when `Prefer: wait` was"
                                            + " honoured: `wait=N` with N clamped to `max-wait`.",
                                    schema = @Schema(type = SchemaType.STRING, example = "wait=30")),
                            @Header(
                                    name = "Result-Location",
                                    description = "The URL of the correlation's result.",
                                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
                            @Header(
                                    name = "Rendezvous-Correlation-Id",
                                    description = "The ID of the job's correlation.",
                                    schema = @Schema(type = SchemaType.STRING))
                        },
                        responses = {
                            @APIResponse(
                                    name = "InvalidRequest",
                                    responseCode = "400",
                                    description = "Invalid body, ID, parameter or header; a single-valued header or"
                                            + " parameter given twice; two different callback tokens.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "ApiKeyRequired",
                                    responseCode = "401",
                                    description = "Missing or wrong API key (only when `rendezvous.api-keys` is set).",
                                    headers =
                                            @Header(
                                                    name = "WWW-Authenticate",
                                                    schema = @Schema(type = SchemaType.STRING)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "CallbackUnauthorized",
                                    responseCode = "401",
                                    description = "Missing or wrong callback token; for a signing correlation, a"
                                            + " missing, wrong or stale `webhook-signature`.",
                                    headers =
                                            @Header(
                                                    name = "WWW-Authenticate",
                                                    schema = @Schema(type = SchemaType.STRING)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "NotFound",
                                    responseCode = "404",
                                    description =
                                            "Unknown or expired correlation, or one created with another API key.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "RouteNotFound",
                                    responseCode = "404",
                                    description = "No route of this name is configured (or, for jobs, it is a push"
                                            + " route).",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "WorkerKeyRequired",
                                    responseCode = "401",
                                    description = "Missing or wrong worker key of this route.",
                                    headers =
                                            @Header(
                                                    name = "WWW-Authenticate",
                                                    schema = @Schema(type = SchemaType.STRING)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "IdTaken",
                                    responseCode = "409",
                                    description = "A correlation with this ID exists; no new token is issued.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "AlreadySettled",
                                    responseCode = "409",
                                    description = "The correlation is already completed or failed; the outcome stays.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "CallbackConflict",
                                    responseCode = "409",
                                    description =
                                            "Another outcome is already stored (result, failure), or the correlation is no"
                                                    + " longer pending (heartbeat).",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "TooManyForKey",
                                    responseCode = "429",
                                    description =
                                            "This API key holds `rendezvous.max-correlations-per-key` correlations.",
                                    headers = @Header(name = "Retry-After", ref = "Retry-After"),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "WorkFailed",
                                    responseCode = "502",
                                    description =
                                            "The worker reported a failure without a status: its report as a problem.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "WorkFailedWithStatus",
                                    responseCode = "default",
                                    description =
                                            "The worker reported a failure with this status (`400..599`): its report"
                                                    + " (title, detail) as a problem.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "Cancelled",
                                    responseCode = "410",
                                    description = "The client cancelled this correlation.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "LengthRequired",
                                    responseCode = "411",
                                    description = "A chunked HTTP/1.1 body: send a `Content-Length`.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "BodyTooLarge",
                                    responseCode = "413",
                                    description = "Body over `rendezvous.max-body` (heartbeat details: over 4 KiB).",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "UnsupportedMediaType",
                                    responseCode = "415",
                                    description = "Content-Type not accepted here, or not a valid media type.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "Unavailable",
                                    responseCode = "503",
                                    description = "The instance is at one of its limits (`max-correlations`,"
                                            + " `max-stored-bytes`, `max-waiters`, `max-waiters-per-correlation`) or"
                                            + " its store is unreachable, or a route holds its `max-queued` jobs; try again after"
                                            + " `Retry-After`.",
                                    headers = @Header(name = "Retry-After", ref = "Retry-After"),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class)))
                        },
                        securitySchemes = {
                            @SecurityScheme(
                                    securitySchemeName = "apiKey",
                                    type = SecuritySchemeType.HTTP,
                                    scheme = "bearer",
                                    description =
                                            "A client API key as `Authorization: Bearer <key>`; required only when `rendezvous.api-keys`"
                                                    + " is set. A correlation is visible only to the key that created it."),
                            @SecurityScheme(
                                    securitySchemeName = "callbackToken",
                                    type = SecuritySchemeType.HTTP,
                                    scheme = "bearer",
                                    description =
                                            "The correlation's callback token (from the create answer) as `Authorization: Bearer <token>`."),
                            @SecurityScheme(
                                    securitySchemeName = "callbackTokenQuery",
                                    type = SecuritySchemeType.APIKEY,
                                    in = SecuritySchemeIn.QUERY,
                                    apiKeyName = "token",
                                    description =
                                            "The callback token as `?token=<token>`, as in `callbackUrl`, for senders that can only be"
                                                    + " given a URL. Given together with a different bearer token: 400."),
                            @SecurityScheme(
                                    securitySchemeName = "workerKey",
                                    type = SecuritySchemeType.HTTP,
                                    scheme = "bearer",
                                    description =
                                            "A worker key of the pull route (`rendezvous.routes.<name>.worker-keys`)"
                                                    + " as `Authorization: Bearer <key>`.")
                        }))
package dev.rendezvous.correlation.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
