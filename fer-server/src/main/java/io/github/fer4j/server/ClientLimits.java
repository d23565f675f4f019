package io.github.fer4j.server;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What each client address may send: uploads at most {@code rate} a second on average (a token bucket that holds one
 * second's worth, at least one: a client may send that many at once, then one each 1/rate s), and at most
 * {@code maxInFlight} of its uploads in the server at once (read, waiting or being recognized). Either limit is off at 0.
 * Addresses are the connection's own (behind a proxy, every client is the proxy). Idle addresses are forgotten, so the
 * table stays small however many clients come and go.
 */
final class ClientLimits {
    /** Over this many addresses, those idle with a full bucket are dropped. */
    static final int SWEEP_ABOVE = 4096;

    /** An admission: allowed, or refused with the seconds to wait before trying again and why. */
    record Admission(boolean allowed, long retryAfterSeconds, String reason) {
        static final Admission ALLOWED = new Admission(true, 0, null);
    }

    private static final class Client {
        double tokens;
        long refilled;
        int inFlight;
    }

    private final double rate;
    private final double capacity;
    private final int maxInFlight;
    private final Map<String, Client> clients = new HashMap<>();
    private int sweepAt = SWEEP_ABOVE;

    ClientLimits(double rate, int maxInFlight) {
        if (!(rate >= 0) || Double.isInfinite(rate) || maxInFlight < 0) {
            throw new IllegalArgumentException("a rate and an in-flight cap that are not negative (0: no limit)");
        }
        this.rate = rate;
        this.capacity = Math.max(1, rate);
        this.maxInFlight = maxInFlight;
    }

    boolean limits() {
        return rate > 0 || maxInFlight > 0;
    }

    /**
     * Takes one upload of {@code address} in at {@code now} (nanoseconds): allowed (then {@link #release} it when it is
     * answered), or refused.
     */
    synchronized Admission admit(String address, long now) {
        Client c = clients.get(address);
        if (c == null) {
            sweep(now);
            c = new Client();
            c.tokens = capacity;
            c.refilled = now;
            clients.put(address, c);
        }
        if (maxInFlight > 0 && c.inFlight >= maxInFlight) {
            return new Admission(false, 1, "this client already has " + c.inFlight + " uploads in the server, the most "
                    + "one client may have at once; send the next when one is answered");
        }
        if (rate > 0) {
            // Refill: rate tokens a second since the last look, up to the capacity.
            c.tokens = Math.min(capacity, c.tokens + (now - c.refilled) / 1e9 * rate);
            c.refilled = now;
            if (c.tokens < 1) {
                long wait = (long) Math.ceil((1 - c.tokens) / rate);
                return new Admission(false, Math.max(1, wait), String.format(java.util.Locale.ROOT,
                        "this client sent more than %s uploads a second", rate == Math.rint(rate) ? Long.toString((long) rate)
                                : Double.toString(rate)));
            }
            c.tokens -= 1;
        }
        c.inFlight++;
        return Admission.ALLOWED;
    }

    /** An allowed upload of {@code address} was answered. */
    synchronized void release(String address) {
        Client c = clients.get(address);
        if (c != null && c.inFlight > 0) {
            c.inFlight--;
        }
    }

    /** Addresses tracked now (for tests of the sweep). */
    synchronized int size() {
        return clients.size();
    }

    /** Past {@link #sweepAt} addresses, drops those with nothing in flight whose bucket has refilled. */
    private void sweep(long now) {
        if (clients.size() < sweepAt) {
            return;
        }
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext(); ) {
            Client c = it.next();
            boolean full = rate == 0 || c.tokens + (now - c.refilled) / 1e9 * rate >= capacity;
            if (c.inFlight == 0 && full) {
                it.remove();
            }
        }
        // Those left are busy: look again only when the table has doubled from here, so that a sweep costs O(1) a call.
        sweepAt = Math.max(SWEEP_ABOVE, 2 * clients.size());
    }
}
