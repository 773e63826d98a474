/** What the module's stored rows have in common. */
@ApplicationModule(
        displayName = "Storage",
        allowedDependencies = {})
package org.twitchtriage.storage;

import org.springframework.modulith.ApplicationModule;
