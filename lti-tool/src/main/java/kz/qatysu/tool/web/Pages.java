package kz.qatysu.tool.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

import java.util.Map;

/** Renders the precompiled JTE templates ({@code src/main/jte}); every template takes one typed page record. */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public String render(String template, Object page) {
        StringOutput out = new StringOutput();
        engine.render(template, Map.of("page", page), out);
        return out.toString();
    }

    public void html(Context ctx, int status, String template, Object page) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(render(template, page));
    }

    public void html(Context ctx, String template, Object page) {
        html(ctx, 200, template, page);
    }
}
