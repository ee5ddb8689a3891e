// Test peer for Re2ProgramSizeTest (compiled into target/ by the test, not shipped).
//   re2_peer size   : one pattern per stdin line -> RE2(pattern).ProgramSize(), or "ERR <error>"
//   re2_peer stdtag : "<regex>\t<stat name>" per line -> std::regex_search as Envoy's custom stats
//                     tags use it: "<group 1>\t<group 2>", or "NOMATCH"
// Patterns are read as UTF-8 bytes; options are RE2's defaults (what Envoy's safe_regex uses).
#include <re2/re2.h>
#include <iostream>
#include <regex>
#include <string>

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "size";
  std::string line;
  RE2::Options options;
  options.set_log_errors(false);
  while (std::getline(std::cin, line)) {
    if (mode == "size") {
      RE2 re(line, options);
      if (re.ok()) {
        std::cout << re.ProgramSize() << "\n";
      } else {
        std::cout << "ERR " << re.error() << "\n";
      }
    } else {
      size_t tab = line.find('\t');
      std::regex re(line.substr(0, tab));
      std::string name = line.substr(tab + 1);
      std::smatch m;
      if (std::regex_search(name, m, re) && m.size() > 1) {
        std::cout << m[1].str() << "\t" << (m.size() > 2 ? m[2].str() : m[1].str()) << "\n";
      } else {
        std::cout << "NOMATCH\n";
      }
    }
    std::cout.flush();
  }
  return 0;
}
