package org.twitchtriage.modulithfixture.orders;

import org.twitchtriage.modulithfixture.results.internal.StoredRows;

/** Reaches into the results module's internals, which verification must refuse. */
public class Orders {
    StoredRows rows = new StoredRows();
}
