package kz.qatysu.tool.staff;

import io.javalin.config.JavalinConfig;

/**
 * Staff identities and roles: grants (page and API), sign-in by launch and by OpenID Connect, and the advisers' page
 * (registered from {@code Routes}).
 */
public record StaffRoutes(StaffHandler pages, StaffApi api, OidcHandler oidc, kz.qatysu.tool.advisers.AdvisersHandler advisers) {

    public void register(JavalinConfig config) {
        // the administrator grants roles to person ids (ADMINISTRATOR or the admin token; audited)
        config.routes.get("/admin/staff", pages::grants);
        config.routes.post("/admin/staff", pages::grant);
        config.routes.post("/admin/staff/enter", pages::enter);
        config.routes.post("/admin/staff/{personId}/revoke", pages::revoke);
        config.routes.get("/api/v1/admin/staff", api::list);
        config.routes.get("/api/v1/admin/staff/{personId}", api::get);
        config.routes.put("/api/v1/admin/staff/{personId}", api::put);
        config.routes.delete("/api/v1/admin/staff/{personId}", api::delete);
        // sign-in: a launch from the LMS by a person with a role, or the university's OpenID Connect provider
        config.routes.get("/app/{launch}/staff", pages::launch);
        config.routes.get("/admin/oidc/start", oidc::start);
        config.routes.get("/admin/oidc/callback", oidc::callback);
        // advisers (role ADVISER, implied by the portal's adviser links): "My students", their own students only
        config.routes.get("/admin/advisees", advisers::page);
    }
}
