#include "cli/config.h"

#include <algorithm>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "common/error.h"

namespace fs = std::filesystem;

namespace nsearch {
namespace {

// `value` from the config file as a path: ~/ is $HOME, a relative path is
// relative to the config file's folder.
fs::path ConfigPath(const std::string& value, const fs::path& file) {
  if (value == "~" || value.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
      throw UsageError(file.string() + ": '" + value + "' starts with ~ but HOME is not set");
    }
    return fs::path(home) / value.substr(value.size() > 1 ? 2 : 1);
  }
  const fs::path path(value);
  return path.is_absolute() ? path : file.parent_path() / path;
}

std::string KnownKeys() {
  std::string keys;
  for (std::string_view key : kConfigKeys) keys += (keys.empty() ? "" : ", ") + std::string(key);
  return keys;
}

}  // namespace

fs::path DefaultConfigPath() {
  if (const char* config = std::getenv("XDG_CONFIG_HOME"); config != nullptr && *config == '/') {
    return fs::path(config) / "nsearch" / "config";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".config" / "nsearch" / "config";
  }
  return {};
}

Config ReadConfig(const fs::path& file) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(file.string());
  } catch (const CLI::Error& e) {
    throw UsageError("cannot read the config file " + file.string() + ": " + e.what());
  }
  Config config;
  config.file = file;
  for (const CLI::ConfigItem& item : items) {
    if (!item.parents.empty()) {
      throw UsageError(file.string() + ": sections are not used: remove [" + item.parents.front() + "]");
    }
    if (std::find(std::begin(kConfigKeys), std::end(kConfigKeys), item.name) == std::end(kConfigKeys)) {
      throw UsageError(file.string() + ": unknown key '" + item.name + "' (known: " + KnownKeys() + ")");
    }
    if (item.name == "db") {
      if (item.inputs.size() != 1 || item.inputs.front().empty()) {
        throw UsageError(file.string() + ": db must be one directory");
      }
      config.db = ConfigPath(item.inputs.front(), file);
    } else if (item.name == "roots") {
      for (const std::string& root : item.inputs) {
        if (!root.empty()) config.roots.push_back(ConfigPath(root, file));
      }
    } else if (item.name == "color") {
      const std::string value = item.inputs.size() == 1 ? item.inputs.front() : "";
      if (value != "auto" && value != "always" && value != "never") {
        throw UsageError(file.string() + ": color must be auto, always or never");
      }
    }
  }
  return config;
}

}  // namespace nsearch
