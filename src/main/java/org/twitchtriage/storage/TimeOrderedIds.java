package org.twitchtriage.storage;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New ids for rows the module writes at a high rate (submissions, audit records): UUIDs of version 7 (RFC
 * 9562), whose first 48 bits are the time in milliseconds and the rest random. In their text form they sort in
 * the order they were made, so each new row, and the rows keyed by it, go in at the end of every index rather
 * than at a random place in it: a commit writes the last page of each index again, not a page somewhere in the
 * middle, and the pages in use stay few enough to be cached. They are as unguessable as random UUIDs for all
 * practical purposes (74 random bits) and tell no more than the resource's own lastUpdated.
 */
public final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {}

    /** A new id, made now. */
    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high =
                (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
        long low = 0x8000_0000_0000_0000L | ((random[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low).toString();
    }
}
