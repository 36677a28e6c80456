#include <jupyter_events/schema_registry.hpp>

#include "detail/input_json.hpp"
#include "detail/metaschema.hpp"
#include "detail/schema_impl.hpp"
#include "detail/url_fetch.hpp"
#include "detail/versions.hpp"
#include "detail/yaml_json.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <system_error>

namespace jupyter_events {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// A schema parsed and checked, not yet registered.
struct staged {
    std::shared_ptr<json::value> document;
    std::string id;
    std::string version;
    detail::located_json where;  // positions for messages (value moved into document)
    std::string canonical_path;   // "" for schemas not from a file
};

std::string id_suffix(const std::string& id) { return id.empty() ? "" : " ($id " + id + ")"; }

std::string describe(const validation_issue& issue, const detail::located_json& where,
                     const std::string& id) {
    std::string loc = where.where(issue.instance_pointer);
    std::string text = loc.empty() ? "" : loc + ": ";
    text += "register schema: ";
    if (!issue.instance_pointer.empty()) text += issue.instance_pointer + ": ";
    return text + issue.message + id_suffix(id);
}

[[noreturn]] void throw_issues(std::vector<validation_issue> issues, const detail::located_json& where,
                               const std::string& id) {
    std::string message;
    for (const auto& issue : issues) {
        if (!message.empty()) message += '\n';
        message += describe(issue, where, id);
    }
    throw error(errc::invalid_schema, message, std::move(issues));
}

// Checks the meta-schema rules and normalizes `version` to a string.
staged stage(detail::located_json parsed, std::string canonical_path) {
    staged s;
    s.canonical_path = std::move(canonical_path);
    json::value& doc = parsed.value;
    std::string id;
    if (auto* obj = doc.if_object())
        if (auto* v = obj->if_contains("$id"); v && v->is_string()) id = std::string(v->get_string());
    auto issues = detail::check_event_schema(doc);
    if (!issues.empty()) throw_issues(std::move(issues), parsed, id);
    json::object& obj = doc.as_object();
    s.id = id;
    s.version = *detail::version_string(obj.at("version"));
    obj["version"] = s.version;
    s.document = std::make_shared<json::value>(std::move(doc));
    parsed.value = nullptr;
    s.where = std::move(parsed);
    return s;
}

bool is_schema_file(const fs::path& p) {
    const auto ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

struct schema_registry::impl {
    mutable std::shared_mutex mutex;
    std::vector<std::unique_ptr<event_schema>> all;  // registration order; stable addresses
    // id -> versions, lowest first
    std::map<std::string, std::vector<event_schema*>, std::less<>> by_id;
    std::set<std::string> files;  // canonical paths already registered

    const event_schema* find_locked(std::string_view id, std::string_view version) const noexcept {
        auto it = by_id.find(id);
        if (it == by_id.end() || it->second.empty()) return nullptr;
        if (version.empty()) return it->second.back();
        for (const event_schema* s : it->second)
            if (s->version() == version) return s;
        return nullptr;
    }

    // Registers every staged schema or none. Caller holds the unique lock.
    std::vector<event_schema> commit(std::vector<staged>& batch) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const staged& s = batch[i];
            if (const event_schema* existing = find_locked(s.id, s.version))
                throw error(errc::duplicate_schema,
                            s.where.where("") + (s.where.file.empty() ? "" : ": ") +
                                "register schema: ($id " + s.id + ", version " + s.version +
                                ") is already registered" +
                                (existing->source().empty() ? "" : " from " + existing->source()) +
                                "; give the new schema another version or remove one of them");
            for (std::size_t j = 0; j < i; ++j)
                if (batch[j].id == s.id && batch[j].version == s.version)
                    throw error(errc::duplicate_schema,
                                s.where.file + ": register schema: ($id " + s.id + ", version " +
                                    s.version + ") is also defined in " + batch[j].where.file +
                                    "; give one of them another version");
        }
        // Refs may point at other schemas of the same batch, so resolve against both.
        auto resolve = [&](std::string_view uri) -> std::shared_ptr<const json::value> {
            for (const staged& s : batch)
                if (s.id == uri) return s.document;
            if (const event_schema* e = find_locked(uri, {})) return e->impl_->document;
            return detail::resolve_embedded(uri);
        };
        std::vector<std::shared_ptr<event_schema::impl>> compiled;
        for (const staged& s : batch) {
            auto p = std::make_shared<event_schema::impl>();
            p->id = s.id;
            p->version = s.version;
            p->document = s.document;
            p->source = s.where.file;
            try {
                p->validator = detail::compiled_schema::compile(*s.document, s.id, resolve);
                p->categories = detail::category_plan::build(*s.document, s.id, resolve);
            } catch (const error& e) {
                std::string loc = s.where.where("");
                throw error(errc::invalid_schema,
                            (loc.empty() ? "" : loc + ": ") + e.what() + id_suffix(s.id));
            }
            compiled.push_back(std::move(p));
        }
        std::vector<event_schema> out;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto schema = std::make_unique<event_schema>(std::move(compiled[i]));
            auto& versions = by_id[batch[i].id];
            auto pos = std::upper_bound(versions.begin(), versions.end(), schema.get(),
                                        [](const event_schema* a, const event_schema* b) {
                                            return detail::compare_versions(a->version(), b->version()) < 0;
                                        });
            versions.insert(pos, schema.get());
            if (!batch[i].canonical_path.empty()) files.insert(batch[i].canonical_path);
            out.push_back(*schema);
            all.push_back(std::move(schema));
        }
        return out;
    }
};

schema_registry::schema_registry() : impl_(std::make_unique<impl>()) {}
schema_registry::~schema_registry() = default;

event_schema schema_registry::register_schema(const json::value& schema) {
    // Text is bounded by its parser; a value is checked before anything copies or walks it.
    const std::size_t max_depth = detail::parse_limits{}.max_depth;
    if (auto pointer = detail::nested_deeper_than(schema, max_depth)) {
        if (pointer->size() > 80) pointer->replace(80, std::string::npos, "...");
        throw error(errc::invalid_schema, "register schema: " + *pointer + ": nesting deeper than " +
                                              std::to_string(max_depth) + " levels; flatten the schema");
    }
    detail::located_json parsed;
    parsed.value = schema;
    std::vector<staged> batch;
    batch.push_back(stage(std::move(parsed), {}));
    std::unique_lock lock(impl_->mutex);
    return impl_->commit(batch).front();
}

event_schema schema_registry::register_schema_text(std::string_view text, const std::string& source_name) {
    std::vector<staged> batch;
    batch.push_back(stage(detail::parse_yaml_or_json(text, source_name), {}));
    std::unique_lock lock(impl_->mutex);
    return impl_->commit(batch).front();
}

std::vector<event_schema> schema_registry::register_schema_file(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw error(errc::io_error, path.string() + ": register schema: file not found; check the path "
                                                    "(relative paths resolve against the config file's directory)");
    std::vector<fs::path> files;
    if (fs::is_directory(status)) {
        fs::directory_iterator it(path, ec), end;
        if (ec)
            throw error(errc::io_error, path.string() + ": register schema: cannot read directory (" +
                                            ec.message() + ")");
        for (; it != end; it.increment(ec)) {
            if (ec)
                throw error(errc::io_error, path.string() + ": register schema: cannot read directory (" +
                                                ec.message() + ")");
            if (it->is_regular_file(ec) && is_schema_file(it->path())) files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
    } else {
        if (!is_schema_file(path))
            throw error(errc::io_error, path.string() +
                                            ": register schema: unsupported file type; schema files end "
                                            "in .yaml, .yml or .json");
        files.push_back(path);
    }
    std::vector<staged> batch;
    for (const auto& file : files) {
        std::string canonical = fs::weakly_canonical(file, ec).string();
        if (ec) canonical = fs::absolute(file).lexically_normal().string();
        {
            std::shared_lock lock(impl_->mutex);
            if (impl_->files.count(canonical)) continue;
        }
        if (std::any_of(batch.begin(), batch.end(),
                        [&](const staged& s) { return s.canonical_path == canonical; }))
            continue;
        std::string text = detail::read_file(file.string(), "register schema");
        batch.push_back(stage(detail::parse_yaml_or_json(text, file.string()), canonical));
    }
    std::unique_lock lock(impl_->mutex);
    // Checked again under the write lock: another thread may have registered a file meanwhile.
    batch.erase(std::remove_if(batch.begin(), batch.end(),
                               [&](const staged& s) { return impl_->files.count(s.canonical_path) > 0; }),
                batch.end());
    return impl_->commit(batch);
}

std::vector<event_schema> schema_registry::register_schema_url(const std::string& url, const url_options& options) {
    auto starts = [&](std::string_view prefix) { return url.compare(0, prefix.size(), prefix) == 0; };
    if (starts("file://")) return register_schema_file(detail::file_url_path(url));
    if (starts("http://")) {
        const std::string body = detail::http_get(url, options.timeout, options.max_bytes);
        return {register_schema_text(body, url)};
    }
    if (starts("https://"))
        throw error(errc::fetch_failed, url + ": register schema: https is not supported (no TLS in this build); "
                                              "download the schema and register the file");
    throw error(errc::fetch_failed, url + ": register schema: unsupported URL; use file:///path or http://host/path");
}

const event_schema* schema_registry::find(std::string_view id, std::string_view version) const noexcept {
    std::shared_lock lock(impl_->mutex);
    return impl_->find_locked(id, version);
}

std::vector<event_schema> schema_registry::schemas() const {
    std::shared_lock lock(impl_->mutex);
    std::vector<event_schema> out;
    for (const auto& s : impl_->all) out.push_back(*s);
    return out;
}

std::vector<std::string> schema_registry::versions(std::string_view id) const {
    std::shared_lock lock(impl_->mutex);
    std::vector<std::string> out;
    auto it = impl_->by_id.find(id);
    if (it != impl_->by_id.end())
        for (const event_schema* s : it->second) out.push_back(s->version());
    return out;
}

}  // namespace jupyter_events
