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
 * Nchan (nginx's pub/sub module, Debian's {@code nginx} and {@code libnginx-mod-nchan}) on a free
 * loopback port, as the benchmark's closest peer: {@code GET /sub/<id>} is a long-poll subscriber
 * and {@code POST /pub/<id>} publishes to it. The configuration is written here, so that a run is
 * reproduced by the same settings: a worker per core like the service's event loops, no access log,
 * and the first message kept for a subscriber that arrives after it.
 */
public final class NchanServer implements AutoCloseable {

    /** Where Debian installs the module ({@code dpkg -L libnginx-mod-nchan}). */
    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");

    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process master;
    private final int port;

    private NchanServer(Process master, int port) {
        this.master = master;
        this.port = port;
    }

    /** Whether nginx and the Nchan module are installed here. */
    public static boolean installed() {
        return Files.isRegularFile(MODULE) && Files.isExecutable(Path.of("/usr/sbin/nginx"));
    }

    /**
     * Starts nginx in {@code dir} with a configuration written there. A published message lives as long
     * as a consumed result of the service in Redis mode (10 s), one per channel.
     */
    public static NchanServer start(Path dir) {
        int port = Processes.freePort();
        try {
            Files.createDirectories(dir.resolve("temp"));
            Files.writeString(dir.resolve("nginx.conf"), configuration(dir, port));
            Process master = new ProcessBuilder("/usr/sbin/nginx", "-p", dir + "/", "-c", "nginx.conf")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("nginx.out").toFile())
                    .start();
            NchanServer server = new NchanServer(master, port);
            Processes.awaitUntil(START_LIMIT, server::accepts, () -> {
                server.close();
                return new IllegalStateException("nginx did not listen on " + port + "; see " + dir);
            });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start nginx in " + dir, e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The master and its workers, whose CPU and RSS together are the server's. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(master.pid());
        master.children().forEach(child -> pids.add(child.pid()));
        return pids;
    }

    @Override
    public void close() {
        // SIGTERM: nginx's fast shutdown of the master and its workers.
        master.destroy();
        Processes.awaitExit(master, STOP_GRACE);
    }

    private boolean accepts() {
        if (!master.isAlive()) {
            throw new IllegalStateException("nginx exited with " + master.exitValue());
        }
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return master.children().count() > 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String configuration(Path dir, int port) {
        return """
                load_module %1$s;
                daemon off;
                worker_processes auto;
                pid %2$s/nginx.pid;
                error_log %2$s/error.log warn;
                events { worker_connections 16384; }
                http {
                    access_log off;
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
                    }
                }
                """.formatted(MODULE, dir.toAbsolutePath(), port);
    }
}
