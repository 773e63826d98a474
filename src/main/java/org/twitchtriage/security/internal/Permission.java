package org.twitchtriage.security.internal;

import java.util.EnumSet;
import java.util.Set;

/** What a SMART scope allows on a resource type, in the letters of SMART v2 ({@code c r u d s}). */
public enum Permission {
    CREATE('c'),
    READ('r'),
    UPDATE('u'),
    DELETE('d'),
    SEARCH('s');

    private final char letter;

    Permission(char letter) {
        this.letter = letter;
    }

    char letter() {
        return letter;
    }

    /** SMART v1 {@code read}: read and search. */
    static Set<Permission> v1Read() {
        return EnumSet.of(READ, SEARCH);
    }

    /** SMART v1 {@code write}: create, update and delete. */
    static Set<Permission> v1Write() {
        return EnumSet.of(CREATE, UPDATE, DELETE);
    }
}
