package org.twitchtriage.security.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.security.Callers;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: SMART App Launch discovery. It names the authorization
 * server whose tokens the module accepts, its endpoints and the scopes the module understands. In
 * development mode there is no authorization server, and the answer is 404.
 */
public final class SmartConfigurationServlet extends HttpServlet {

    static final String PATH = "/fhir/.well-known/smart-configuration";
    private static final long serialVersionUID = 1L;

    private final transient Callers callers;
    private final transient AuthorizationServer server;
    private final transient ErrorResponses errors;
    private final List<String> scopes;
    private final transient ObjectMapper json = new ObjectMapper();

    SmartConfigurationServlet(Callers callers, AuthorizationServer server, ErrorResponses errors, List<String> scopes) {
        this.callers = callers;
        this.server = server;
        this.errors = errors;
        this.scopes = List.copyOf(scopes);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!callers.secured()) {
            errors.send(
                    request,
                    response,
                    HttpServletResponse.SC_NOT_FOUND,
                    IssueType.NOTFOUND,
                    "No authorization server"
                            + " is configured: the module runs in development mode, without authorization");
            return;
        }
        if (server.tokenEndpoint().isEmpty()) {
            errors.send(
                    request,
                    response,
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    IssueType.TRANSIENT,
                    "The"
                            + " authorization server's endpoints are not known yet: its discovery document could not be"
                            + " fetched; set security.smart.token-endpoint and authorization-endpoint");
            return;
        }
        ObjectNode body = json.createObjectNode();
        server.issuer().ifPresent(issuer -> body.put("issuer", issuer));
        server.jwksUri().ifPresent(uri -> body.put("jwks_uri", uri));
        server.authorizationEndpoint().ifPresent(uri -> body.put("authorization_endpoint", uri));
        body.put("token_endpoint", server.tokenEndpoint().get());
        for (String field : List.of(
                "token_endpoint_auth_methods_supported",
                "registration_endpoint",
                "introspection_endpoint",
                "revocation_endpoint",
                "management_endpoint",
                "userinfo_endpoint")) {
            server.discovered(field).ifPresent(value -> body.set(field, value));
        }
        body.set("grant_types_supported", array("authorization_code", "client_credentials"));
        body.set("response_types_supported", array("code"));
        body.set("code_challenge_methods_supported", array("S256"));
        body.set("scopes_supported", array(scopes.toArray(String[]::new)));
        body.set(
                "capabilities",
                array(
                        "launch-ehr",
                        "launch-standalone",
                        "client-public",
                        "client-confidential-symmetric",
                        "client-confidential-asymmetric",
                        "context-ehr-patient",
                        "context-standalone-patient",
                        "sso-openid-connect",
                        "permission-patient",
                        "permission-user",
                        "permission-v1",
                        "permission-v2"));
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "public, max-age=300");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private ArrayNode array(String... values) {
        ArrayNode array = json.createArrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
