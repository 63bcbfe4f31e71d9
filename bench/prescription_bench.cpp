// Prescription speed, in process (prints figures; not a test):
//  1. the rule check of a 5-item prescription against a patient with 10 active prescriptions and
//     the real interaction pairs among them: p50/p99 per check (goal: p99 < 1 ms);
//  2. signing: opening a PIN-sealed key (Argon2id, the production profile) and one Ed25519 signature,
//     next to the raw libsodium Ed25519 sign and verify in the same run (the reference);
//  3. the QR payload: build and parse+verify both signatures.
// Usage: build/prescription_bench [ITERATIONS]   (IHOS_DRUG_DATA for the real interaction pairs)
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "domain/drugs/import.hpp"
#include "domain/prescriptions/document.hpp"
#include "domain/prescriptions/rules.hpp"
#include "domain/prescriptions/signing.hpp"

using namespace ihos;
using namespace ihos::domain;
using Clock = std::chrono::steady_clock;

namespace {

drugs::FormularyItem Line(std::int64_t id, const char* name, const char* en, const char* cls, const char* path) {
  drugs::FormularyItem f;
  f.id = id;
  f.drug.id = id;
  f.drug.name = name;
  f.drug.kind = "western";
  f.drug.therapeutic_class = cls;
  f.drug.category_path = path;
  f.drug.allergy_classes = drugs::AllergyClassesOf(name, path);
  f.name_en = en;
  f.dose_unit = "mg";
  f.strength_amount_milli = 10'000;
  f.package_size = 28;
  f.routes = {"oral"};
  f.max_single_milli = 40'000;
  f.max_daily_milli = 80'000;
  return f;
}

double Pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  crypto::SodiumInit();
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const char* data = std::getenv("IHOS_DRUG_DATA");
  std::string dir = data ? data : "/work/shared/data";
  auto pairs = drugs::ReadInteractions(dir + "/ddi_onc_high_priority");
  std::vector<drugs::Interaction> interactions = pairs ? *pairs : std::vector<drugs::Interaction>{};

  prescriptions::PrescriptionInput in;
  prescriptions::CheckContext ctx;
  ctx.follow_up_verified = true;
  ctx.age_years = 67;
  const char* names[][4] = {
      {"二甲双胍", "Metformin", "双胍类", "消化道和代谢方面的药物 > 糖尿病用药 > 双胍类"},
      {"氨氯地平", "Amlodipine", "二氢吡啶衍生物", "心血管系统 > 钙通道阻滞剂 > 二氢吡啶衍生物"},
      {"阿托伐他汀", "Atorvastatin", "HMG-CoA还原酶抑制剂", "心血管系统 > 调节血脂药 > HMG-CoA还原酶抑制剂"},
      {"氯吡格雷", "Clopidogrel", "血小板凝聚抑制剂", "血液和造血器官药 > 抗血栓形成药 > 血小板凝聚抑制剂"},
      {"奥美拉唑", "Omeprazole", "质子泵抑制剂", "消化道和代谢方面的药物 > 质子泵抑制剂"}};
  for (int i = 0; i < 5; ++i) {
    ctx.formulary.push_back(Line(i + 1, names[i][0], names[i][1], names[i][2], names[i][3]));
    in.items.push_back({i + 1, 10'000, "oral", "qd", 7, ""});
  }
  const char* active[][2] = {{"华法林", "Warfarin"},       {"地高辛", "Digoxin"},       {"呋塞米", "Furosemide"},
                             {"螺内酯", "Spironolactone"}, {"美托洛尔", "Metoprolol"},  {"左甲状腺素", "Levothyroxine"},
                             {"别嘌醇", "Allopurinol"},    {"阿仑膦酸", "Alendronate"}, {"碳酸钙", "Calcium carbonate"},
                             {"坦索罗辛", "Tamsulosin"}};
  std::vector<std::string> all_names;
  for (const auto& f : ctx.formulary) all_names.push_back(text::LowerAscii(f.name_en));
  for (int i = 0; i < 10; ++i) {
    ctx.active.push_back({100 + i, active[i][0], active[i][1], std::string("class") + std::to_string(i), "RX"});
    all_names.push_back(text::LowerAscii(active[i][1]));
  }
  ctx.allergies.push_back({1, 1, std::nullopt, "", "penicillins", "", 1, std::nullopt, 0});
  // What the service hands the rules: the pairs among the 15 names (as the repository returns them).
  for (const auto& p : interactions)
    if (std::find(all_names.begin(), all_names.end(), p.a) != all_names.end() &&
        std::find(all_names.begin(), all_names.end(), p.b) != all_names.end())
      ctx.interactions.push_back(p);

  std::vector<double> us;
  us.reserve(n);
  std::size_t hits = 0;
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    auto h = prescriptions::CheckPrescription(in, ctx);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    hits += h.size();
  }
  std::printf(
      "rule check, 5 items x 10 active prescriptions, %zu interaction pairs among them: p50 %.1f us, p99 "
      "%.1f us (goal p99 < 1000 us), %zu hits per check\n",
      ctx.interactions.size(), Pct(us, 0.5), Pct(us, 0.99), hits / n);

  // Signing: the PIN step (Argon2id interactive) and Ed25519, next to raw libsodium.
  const auto key = prescriptions::signing::NewKey("246810", crypto::PasswordProfile::interactive);
  std::vector<double> open_ms;
  std::string secret;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    secret = *prescriptions::signing::Open(key, "246810");
    open_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  const int m = 20000;
  auto t0 = Clock::now();
  std::string sig;
  for (int i = 0; i < m; ++i) sig = prescriptions::signing::Sign(secret, "ihos-rx-v1\n" + std::to_string(i));
  const double ours = m / std::chrono::duration<double>(Clock::now() - t0).count();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], raw[crypto_sign_BYTES];
  crypto_sign_keypair(pk, sk);
  t0 = Clock::now();
  for (int i = 0; i < m; ++i) {
    const std::string msg = "ihos-rx-v1\n" + std::to_string(i);
    crypto_sign_detached(raw, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), sk);
  }
  const double ref = m / std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf(
      "PIN open (Argon2id interactive): median %.0f ms; sign: %.0f/s vs raw libsodium Ed25519 %.0f/s (%.2f x)\n",
      Pct(open_ms, 0.5), ours, ref, ours / ref);

  // The QR: build and verify both signatures (what a pharmacy does offline).
  prescriptions::Prescription p;
  p.rx_no = "RX20261203-BENCH";
  p.institution = "演示·市第一人民医院";
  p.patient_name = "演示·王芳";
  for (int i = 0; i < 5; ++i)
    p.items.push_back(
        {i, i + 1, i + 1, names[i][0], "口服常释剂型", "10mg", 10'000, "mg", "oral", "qd", 28, 1, "片", 28, 2000, ""});
  p.content_hash = crypto::Blake2bHex(prescriptions::document::CanonicalContent(p));
  p.doctor_signature = prescriptions::signing::Sign(secret, prescriptions::document::DoctorMessage(p.content_hash));
  p.pharmacist_key_id = 2;
  p.pharmacist_signature = prescriptions::signing::Sign(
      secret, prescriptions::document::PharmacistMessage(p.content_hash, p.doctor_signature));
  const std::string qr = prescriptions::document::QrPayload(p);
  const std::string pub = key.public_key;
  t0 = Clock::now();
  int ok = 0;
  for (int i = 0; i < 5000; ++i) {
    auto parsed = prescriptions::document::ParseQr(qr);
    const std::string h = crypto::Blake2bHex(parsed->content);
    ok += prescriptions::signing::Verify(pub, prescriptions::document::DoctorMessage(h), parsed->doctor_signature) &&
          prescriptions::signing::Verify(pub, prescriptions::document::PharmacistMessage(h, parsed->doctor_signature),
                                         parsed->pharmacist_signature);
  }
  const double qps = 5000 / std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("QR (%zu chars): parse + verify both signatures %.0f/s (%d/5000 valid)\n", qr.size(), qps, ok);
  return 0;
}
