package dev.predictbench.springboot;

import dev.predictbench.model.ApiException;
import dev.predictbench.model.ErrorBody;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Boot's error page ({@code /error}, where Tomcat forwards errors raised outside Spring MVC: the
 * request edge filter's 413, a request Tomcat rejects) answered with the contract's JSON instead of
 * Boot's whitelabel page or default error JSON. Being an {@link ErrorController} bean makes Boot
 * drop its own.
 */
@RestController
class ErrorPageController implements ErrorController {
    private final ContractErrors errors;

    ErrorPageController(ContractErrors errors) {
        this.errors = errors;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof ApiException e) {
            return ContractErrors.respond(e);
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // Asked for directly, /error is just a path the contract does not have.
        return ContractErrors.respond(errors.forStatus(status instanceof Integer code ? code : 404,
                request.getMethod(), path != null ? path.toString() : request.getRequestURI()));
    }
}
