package kz.qatysu.tool.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.database.backup.BackupManifest;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.deans.AdminAudit;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/admin/backups} (scope admin): the running tool writes a backup into a new folder of
 * {@code backup.dir} while it keeps serving (docs/OPERATIONS.md, "Backup and restore"). Body (optional):
 * {@code {"includeKeys": false}} to leave the key files out (default {@code backup.includeKeys}).
 */
public final class BackupsApi {
    private final ToolBackup backups;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final AdminAudit audit;
    private final boolean includeKeysByDefault;

    public BackupsApi(ToolBackup backups, ApiAuth auth, ObjectMapper json, AdminAudit audit, boolean includeKeysByDefault) {
        this.backups = backups;
        this.auth = auth;
        this.json = json;
        this.audit = audit;
        this.includeKeysByDefault = includeKeysByDefault;
    }

    public void create(Context ctx) {
        var caller = auth.require(ctx, Scope.ADMIN);
        boolean includeKeys = includeKeys(ctx.bodyAsBytes());
        ToolBackup.Taken taken = backups.take(includeKeys);
        BackupManifest m = taken.manifest();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", taken.folder().toString());
        out.put("app", m.app());
        out.put("createdAt", m.createdAt());
        out.put("qatysuVersion", m.qatysuVersion());
        out.put("files", m.files().size());
        out.put("bytes", m.totalBytes());
        out.put("tables", m.database() == null ? 0 : m.database().tables().size());
        out.put("rows", m.database() == null ? 0 : m.database().tables().stream().mapToLong(BackupManifest.Table::rows).sum());
        out.put("keysIncluded", m.keysIncluded());
        out.put("notes", m.notes());
        audit.record(caller.name(), "backup.create", "backup/" + taken.folder().getFileName(),
                Map.of("files", m.files().size(), "keysIncluded", m.keysIncluded()));
        ctx.status(201).json(out);
    }

    private boolean includeKeys(byte[] body) {
        if (body.length == 0) {
            return includeKeysByDefault;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "the body is not JSON: {\"includeKeys\": false} or nothing expected");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return includeKeysByDefault;
        }
        if (!node.isObject()) {
            throw new ApiException(400, "a JSON object expected: {\"includeKeys\": false}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("includeKeys")) {
                throw ApiException.badRequest("invalid backup request: nothing was written",
                        List.of(new ApiException.Detail(name, "unknown field (known: includeKeys)")));
            }
        }
        JsonNode v = node.get("includeKeys");
        if (v == null) {
            return includeKeysByDefault;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("invalid backup request: nothing was written",
                    List.of(new ApiException.Detail("includeKeys", "true or false expected")));
        }
        return v.asBoolean();
    }
}
