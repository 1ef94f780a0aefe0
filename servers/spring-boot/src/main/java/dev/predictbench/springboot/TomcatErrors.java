package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.http.HttpEdge;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract's JSON for what Tomcat refuses before Spring MVC (or Boot's error page) sees a
 * request: a request line or header that is not HTTP, a bad Content-Length, a request line or
 * headers over {@code server.max-http-request-header-size} (Tomcat's 8 KiB default). Tomcat
 * answers these through its host's {@link ErrorReportValve}, with an HTML page; the customizer
 * puts {@link JsonErrorReportValve} in its place.
 */
@Component
class TomcatErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // The host adds its error report valve as it starts, before it starts the context: by the
        // context's BEFORE_START the valve is in the host's pipeline and can be swapped.
        factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType()) && context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
                        host.getPipeline().removeValve(valve);
                        host.getPipeline().addValve(new JsonErrorReportValve());
                    }
                }
            }
        }));
    }

    /**
     * Writes {@code {"error","code"}} instead of Tomcat's HTML. Tomcat says 400 for a request line
     * or headers over its size limit; the contract says 414 when the request line did not fit (no
     * URI was parsed) and 431 when the headers did not.
     */
    public static class JsonErrorReportValve extends ErrorReportValve {
        private static final JsonMapper JSON = JsonMapper.builder().build();
        /** Tomcat's own message for "request line or headers too large", in Tomcat's locale. */
        private static final String TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
                .getString("iib.requestheadertoolarge.error");

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            boolean tooLarge = throwable instanceof IllegalArgumentException && TOO_LARGE.equals(throwable.getMessage());
            int meant = status == 400 && tooLarge ? (request.getCoyoteRequest().requestURI().isNull() ? 414 : 431) : status;
            ApiException error = HttpEdge.forStatus(meant, null, null, null);
            try {
                String body = JSON.writeValueAsString(error.body());
                response.setStatus(error.status());
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The connection is gone or the response was committed meanwhile: nothing to answer.
            }
        }
    }
}
