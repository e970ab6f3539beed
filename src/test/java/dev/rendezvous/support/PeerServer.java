package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer of the service that the benchmark starts on a free loopback port and measures by the same
 * client: Nchan (nginx's pub/sub module, Debian's {@code nginx} and {@code libnginx-mod-nchan}), or
 * piping-server (npm's {@code piping-server}).
 */
public final class PeerServer implements AutoCloseable {

    /** Where Debian installs Nchan ({@code dpkg -L libnginx-mod-nchan}). */
    public static final Path NCHAN_MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final String PIPING_SERVER = "piping-server";

    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private PeerServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether nginx and the Nchan module are installed here. */
    public static boolean nchanInstalled() {
        return Files.isRegularFile(NCHAN_MODULE) && Files.isExecutable(NGINX);
    }

    /**
     * Nchan: {@code GET /sub/<id>} is a long-poll subscriber, {@code POST /pub/<id>} publishes to it.
     * nginx runs in {@code dir} with a configuration written there, so that a run is reproduced by the
     * same settings: a worker per core like the service's event loops, no access log, the first message
     * kept for a subscriber that arrives after it, and a message kept as long as a consumed result of
     * the service in Redis mode (10 s), one per channel, in a shared memory zone large enough for all
     * of them (the default 32 MiB answers 507 after a few seconds of exchanges); {@code /nchan_status}
     * counts the subscribers.
     */
    public static PeerServer nchan(Path dir) {
        int port = Processes.freePort();
        try {
            Files.createDirectories(dir.resolve("temp"));
            Files.writeString(dir.resolve("nginx.conf"), nchanConfiguration(dir, port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not configure nginx in " + dir, e);
        }
        PeerServer nginx = start(port, dir, NGINX.toString(), "-p", dir + "/", "-c", "nginx.conf");
        // The master listens before it forks its workers; they are measured, so they must all be there.
        int workers = Runtime.getRuntime().availableProcessors();
        Processes.awaitUntil(START_LIMIT, () -> nginx.process.children().count() >= workers, () -> {
            nginx.close();
            return new IllegalStateException("nginx did not start " + workers + " workers; see " + dir);
        });
        return nginx;
    }

    /** piping-server: a receiver's {@code GET /<path>} waits for a sender's {@code POST /<path>}. */
    public static PeerServer piping(Path dir) {
        int port = Processes.freePort();
        return start(port, dir, PIPING_SERVER, "--host", "127.0.0.1", "--http-port", Integer.toString(port));
    }

    private static PeerServer start(int port, Path dir, String... command) {
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.out").toFile())
                    .start();
            PeerServer server = new PeerServer(process, port);
            Processes.awaitUntil(START_LIMIT, server::accepts, () -> {
                server.close();
                return new IllegalStateException(command[0] + " did not listen on " + port + "; see " + dir);
            });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command[0] + " in " + dir, e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The process and its children (nginx's workers), whose CPU and memory together are the server's. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.children().forEach(child -> pids.add(child.pid()));
        return pids;
    }

    @Override
    public void close() {
        // SIGTERM: for nginx, the fast shutdown of the master and its workers.
        process.destroy();
        Processes.awaitExit(process, STOP_GRACE);
    }

    private boolean accepts() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the server exited with " + process.exitValue());
        }
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String nchanConfiguration(Path dir, int port) {
        return """
                load_module %1$s;
                daemon off;
                worker_processes auto;
                pid %2$s/nginx.pid;
                error_log %2$s/error.log warn;
                events { worker_connections 16384; }
                http {
                    access_log off;
                    nchan_max_reserved_memory 1024M;
                    client_body_temp_path %2$s/temp;
                    proxy_temp_path %2$s/temp;
                    fastcgi_temp_path %2$s/temp;
                    uwsgi_temp_path %2$s/temp;
                    scgi_temp_path %2$s/temp;
                    server {
                        listen 127.0.0.1:%3$d;
                        location ~ ^/sub/(.+)$ {
                            nchan_subscriber longpoll;
                            nchan_channel_id $1;
                            nchan_subscriber_first_message oldest;
                        }
                        location ~ ^/pub/(.+)$ {
                            nchan_publisher;
                            nchan_channel_id $1;
                            nchan_message_buffer_length 1;
                            nchan_message_timeout 10s;
                        }
                        location = /q/health/live { return 200 "UP"; }
                        location = /nchan_status { nchan_stub_status; }
                    }
                }
                """.formatted(NCHAN_MODULE, dir.toAbsolutePath(), port);
    }
}
