// Shared test helpers: a capture sink, a fixture that leaves Boost.Log as it found it,
// temporary directories and a way to run the CLI.
#pragma once

#include <boost/log/core.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/shared_ptr.hpp>
#include <boost/make_shared.hpp>
#include <boost/core/null_deleter.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace je_test {

namespace fs = std::filesystem;

/// Removes every sink from the core in teardown so tests never depend on order.
class boost_log_fixture : public ::testing::Test {
protected:
    void TearDown() override { boost::log::core::get()->remove_all_sinks(); }
};

/// An application sink writing every record's Message into a string stream.
struct capture_sink {
    std::shared_ptr<std::ostringstream> stream = std::make_shared<std::ostringstream>();
    boost::shared_ptr<boost::log::sinks::synchronous_sink<boost::log::sinks::text_ostream_backend>> sink;

    capture_sink() {
        auto backend = boost::make_shared<boost::log::sinks::text_ostream_backend>();
        backend->add_stream(boost::shared_ptr<std::ostream>(stream.get(), boost::null_deleter()));
        backend->auto_flush(true);
        sink = boost::make_shared<boost::log::sinks::synchronous_sink<boost::log::sinks::text_ostream_backend>>(backend);
        sink->set_formatter([](const boost::log::record_view& rec, boost::log::formatting_ostream& strm) {
            if (auto m = boost::log::extract<std::string>("Message", rec)) strm << *m;
        });
        boost::log::core::get()->add_sink(sink);
    }
    ~capture_sink() { boost::log::core::get()->remove_sink(sink); }
    std::string text() const { return stream->str(); }
};

/// Pushes one record as event_logger does (source attributes, then Message) to sinks built
/// by detail::build_sink with the default generation. Throws what the sinks throw.
inline void push_event_record(unsigned logger_id, const std::string& message,
                              const std::string& schema = "https://example.org/n") {
    namespace attrs = boost::log::attributes;
    boost::log::attribute_set set;
    set.insert("Channel", attrs::constant<std::string>("jupyter_events"));
    set.insert("EventLoggerId", attrs::constant<unsigned>(logger_id));
    set.insert("EventLoggerGeneration", attrs::constant<unsigned>(0u));
    set.insert("EventSchema", attrs::constant<std::string>(schema));
    set.insert("EventSchemaVersion", attrs::constant<std::string>("1"));
    auto core = boost::log::core::get();
    boost::log::record rec = core->open_record(set);
    ASSERT_TRUE(rec) << "no sink accepted the record";
    rec.attribute_values().insert("Message", attrs::make_attribute_value(message));
    core->push_record(boost::move(rec));
}

/// A fresh directory under the system temp dir, removed at scope exit.
struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string templ = (fs::temp_directory_path() / "je-test-XXXXXX").string();
        path = ::mkdtemp(templ.data());
    }
    ~temp_dir() {
        std::error_code ec;
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path, ec);
    }
    fs::path write(const std::string& name, const std::string& text) const {
        fs::path p = path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
};

inline std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// The result of running the jupyter-events CLI.
struct run_result {
    int code = -1;
    std::string out, err;
};

/// Runs JE_CLI with `args` (a shell-quoted string), optional stdin text, in `cwd`.
inline run_result run_cli(const std::string& args, const std::string& input = {}, const fs::path& cwd = {},
                          const std::string& env = {}) {
    temp_dir io;
    const fs::path in = io.write("stdin", input);
    const fs::path out = io.path / "stdout", err = io.path / "stderr";
    std::string cmd = (cwd.empty() ? std::string() : "cd '" + cwd.string() + "' && ") + env + " '" + JE_CLI + "' " +
                      args + " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(cmd.c_str());
    run_result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read(out);
    r.err = read(err);
    return r;
}

/// Escapes `s` for single quotes in a shell command.
inline std::string sq(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace je_test
