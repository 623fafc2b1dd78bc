package kz.qatysu.tool.checkin;

import io.javalin.config.JavalinConfig;

/** Self check-in and roll call routes (registered from {@code Routes}). Static segments before path parameters. */
public record CheckinRoutes(CheckinHandler checkin, RollCallHandler rollCall) {

    public void register(JavalinConfig config) {
        config.routes.get("/checkin/scan", checkin::scan);
        config.routes.get("/app/{launch}/checkin", checkin::index);
        config.routes.post("/app/{launch}/checkin", checkin::submit);
        config.routes.get("/app/{launch}/checkin/{sessionId}", checkin::session);
        config.routes.post("/app/{launch}/checkin/{sessionId}/open", checkin::open);
        config.routes.post("/app/{launch}/checkin/{sessionId}/close", checkin::close);
        config.routes.get("/app/{launch}/checkin/{sessionId}/projector", checkin::projector);
        config.routes.get("/app/{launch}/checkin/{sessionId}/code.json", checkin::codeJson);
        config.routes.post("/app/{launch}/checkin/{sessionId}/rollcall-absences", rollCall::takeAbsences);

        config.routes.get("/app/{launch}/rollcall/active.json", rollCall::active);
        config.routes.post("/app/{launch}/rollcall/{sessionId}/start", rollCall::start);
        config.routes.get("/app/{launch}/rollcall/{rollCallId}", rollCall::results);
        config.routes.post("/app/{launch}/rollcall/{rollCallId}/confirm", rollCall::confirm);
    }
}
