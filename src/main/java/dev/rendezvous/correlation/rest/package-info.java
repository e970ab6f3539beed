/**
 * The HTTP API: thin JAX-RS resources, request and response records, input rules, the problem+json
 * mappers. Their OpenAPI document ({@code /q/openapi}) is written by hand in {@code
 * src/main/resources/META-INF/openapi.yaml}, not scanned from here.
 */
package dev.rendezvous.correlation.rest;
