package org.twitchtriage.security.internal.sandbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

class SandboxAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "127.0.0.2"})
    void loopbackAddressesStart(String address) {
        assertThatCode(() -> SandboxAddress.check(new MockEnvironment().withProperty("server.address", address)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.10", "::", "no-such-host.invalid"})
    void anyOtherAddressRefusesToStartSayingWhy(String address) {
        assertThatThrownBy(() -> SandboxAddress.check(new MockEnvironment().withProperty("server.address", address)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loopback only")
                .hasMessageContaining("server.address is " + address);
    }

    @Test
    void noAddressMeansEveryInterfaceAndIsRefused() {
        assertThatThrownBy(() -> SandboxAddress.check(new MockEnvironment()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not set (every interface)");
    }

    @Test
    void aSeparateManagementPortMustBeOnLoopbackToo() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("server.address", "127.0.0.1")
                .withProperty("management.server.port", "9090");
        assertThatThrownBy(() -> SandboxAddress.check(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("management.server.address");
        assertThatCode(() -> SandboxAddress.check(environment.withProperty("management.server.address", "127.0.0.1")))
                .doesNotThrowAnyException();
    }
}
