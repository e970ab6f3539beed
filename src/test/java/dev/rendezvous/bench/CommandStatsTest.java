package dev.rendezvous.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandStatsTest {

    /** As Redis 7.0 answers it, subcommands named with a bar. */
    private static final String NODE_1 = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=30,usec=600,usec_per_call=20.00,rejected_calls=0,failed_calls=1\r\n"
            + "cmdstat_config|resetstat:calls=1,usec=38,usec_per_call=38.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_hgetall:calls=10,usec=20,usec_per_call=2.00,rejected_calls=2,failed_calls=0\r\n";

    private static final String NODE_2 = "# Commandstats\r\n"
            + "cmdstat_evalsha:calls=30,usec=400,usec_per_call=13.33,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_spublish:calls=10,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n";

    @Test
    void sumsNodesAndDividesByExchangesMostTimeFirst() {
        CommandStats stats = CommandStats.parse(NODE_1).plus(CommandStats.parse(NODE_2));

        var rates = stats.perExchange(20, Set.of("config|resetstat"));

        assertEquals(List.of("evalsha", "spublish", "hgetall"), List.copyOf(rates.keySet()));
        assertEquals(new CommandStats.PerExchange(3.0, 50.0, 1), rates.get("evalsha"));
        assertEquals(new CommandStats.PerExchange(0.5, 2.5, 0), rates.get("spublish"));
        assertEquals(new CommandStats.PerExchange(0.5, 1.0, 2), rates.get("hgetall"));
    }

    @Test
    void nothingPerExchangeWithoutExchangesOrStats() {
        assertEquals(0, CommandStats.parse(NODE_1).perExchange(0, Set.of()).size());
        assertEquals(
                0,
                CommandStats.parse("# Commandstats\r\n")
                        .perExchange(5, Set.of())
                        .size());
    }
}
