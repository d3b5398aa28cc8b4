package org.orleans4j.spring.actuate.dashboard;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code orleansdashboard} Actuator endpoint, web only and read-only: {@code GET
 * /actuator/orleansdashboard} is the dashboard page (HTML, its style and script inlined), {@code GET
 * /actuator/orleansdashboard/data} the figures it polls (JSON, {@link DashboardData}). Any other part
 * answers 404.
 * <p>
 * The id has no dash because Actuator warns about endpoint ids with one; it follows Actuator's own
 * ({@code httpexchanges}, {@code configprops}). {@code management.endpoints.web.path-mapping.orleansdashboard}
 * moves it: the page asks for its data relative to its own address.
 */
@WebEndpoint(id = "orleansdashboard")
public class OrleansDashboardEndpoint {

    private final DashboardPage page;
    private final DashboardReader reader;

    OrleansDashboardEndpoint(DashboardPage page, DashboardReader reader) {
        this.page = page;
        this.reader = reader;
    }

    /** {@code GET /actuator/orleansdashboard}: the page. */
    @ReadOperation(produces = "text/html;charset=UTF-8")
    public String page() {
        return page.html();
    }

    /** {@code GET /actuator/orleansdashboard/data}; any other part gives {@code null}, which Actuator answers with 404. */
    @ReadOperation
    public DashboardData part(@Selector String part) {
        return "data".equals(part) ? reader.read() : null;
    }

    /** The figures the page shows. */
    public DashboardData data() {
        return reader.read();
    }
}
