package org.twitchtriage.testing;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The running application on the database this test run shares, chosen by {@link TestDatabase}. */
public abstract class IntegrationTest extends FhirHttpTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.configure(registry);
    }
}
