/**
 * The HTTP edge: what happens to a connection before its requests reach the router and between
 * them. Deadlines for clients that are not waiting for an answer, and problem answers to requests
 * that the HTTP codec could not make sense of. Depends on {@code api} for the problem format.
 */
package dev.rendezvous.edge;
