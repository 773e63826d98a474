/**
 * What the module's stored rows have in common, and the one way of doing each thing with its tables ({@link
 * SearchSql}).
 */
@ApplicationModule(
        displayName = "Storage",
        allowedDependencies = {})
package org.twitchtriage.storage;

import org.springframework.modulith.ApplicationModule;
