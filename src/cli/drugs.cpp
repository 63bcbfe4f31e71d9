#include "cli/drugs.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/clock.hpp"
#include "domain/drugs/import.hpp"
#include "domain/drugs/service.hpp"

namespace ihos::cli {

void PrintError(const Error& e);

void AddDrugsCommands(CLI::App& app, DrugsCommands& c) {
  auto* drugs =
      app.add_subcommand("drugs", "the drug catalogue (国家医保药品目录 2024) and its lists")->require_subcommand(1);
  c.import = drugs->add_subcommand("import",
                                   "load or refresh the catalogue, controlled-drug flags and interaction "
                                   "pairs (one transaction; running it again changes nothing)");
  c.import
      ->add_option("--data", c.data,
                   "the shared data folder holding drugs_nrdl, cn_controlled_drugs, "
                   "ddi_onc_high_priority")
      ->required()
      ->envname("IHOS_DRUG_DATA");
  c.pinyin = "/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go";
  c.import->add_option("--pinyin", c.pinyin, "pinyin table (Debian golang-github-mozillazg-go-pinyin-dev)")
      ->capture_default_str();
}

int RunDrugsCommands(const DrugsCommands& c, store::Database& db) {
  if (!c.import || !c.import->parsed()) return -1;
  const auto t0 = std::chrono::steady_clock::now();
  auto pinyin = domain::drugs::ReadPinyinTable(c.pinyin);
  if (!pinyin) return PrintError(pinyin.error()), 1;
  auto controlled = domain::drugs::ReadControlled(c.data + "/cn_controlled_drugs/controlled_drugs.csv");
  if (!controlled) return PrintError(controlled.error()), 1;
  auto drugs = domain::drugs::ReadNrdl(c.data + "/drugs_nrdl/nrdl_2024_drug_list.csv", *controlled, *pinyin);
  if (!drugs) return PrintError(drugs.error()), 1;
  auto pairs = domain::drugs::ReadInteractions(c.data + "/ddi_onc_high_priority");
  if (!pairs) return PrintError(pairs.error()), 1;
  SystemClock clock;
  domain::drugs::DrugService svc(db, clock);
  auto rep = svc.Import(*drugs, *pairs);
  if (!rep) return PrintError(rep.error()), 1;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "drugs: %lld catalogue rows (%lld controlled, %lld antimicrobial), %lld high-priority and %lld "
      "non-interruptive interaction pairs in %.1f s\n",
      static_cast<long long>(rep->drugs), static_cast<long long>(rep->controlled),
      static_cast<long long>(rep->antimicrobial), static_cast<long long>(rep->interactions_high),
      static_cast<long long>(rep->interactions_warn), s);
  return 0;
}

}  // namespace ihos::cli
