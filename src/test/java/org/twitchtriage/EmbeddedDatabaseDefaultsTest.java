package org.twitchtriage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseDefaultsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(TwitchTriageApplication.H2_OBJECT_CACHE);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(TwitchTriageApplication.H2_OBJECT_CACHE);
        } else {
            System.setProperty(TwitchTriageApplication.H2_OBJECT_CACHE, before);
        }
    }

    @Test
    void h2ValueCacheIsOffUnlessTheOperatorSaysOtherwise() {
        System.clearProperty(TwitchTriageApplication.H2_OBJECT_CACHE);

        TwitchTriageApplication.embeddedDatabaseDefaults();

        assertThat(System.getProperty(TwitchTriageApplication.H2_OBJECT_CACHE)).isEqualTo("false");
    }

    @Test
    void anOperatorsChoiceIsKept() {
        System.setProperty(TwitchTriageApplication.H2_OBJECT_CACHE, "true");

        TwitchTriageApplication.embeddedDatabaseDefaults();

        assertThat(System.getProperty(TwitchTriageApplication.H2_OBJECT_CACHE)).isEqualTo("true");
    }
}
