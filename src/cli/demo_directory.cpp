// seed-demo, directory part: labelled demo hospitals, approved demo doctors (with placeholder
// certificate images marked 演示) and one application waiting in the admin's review queue.
#include <array>
#include <iostream>

#include "cli/demo.hpp"
#include "core/crypto.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/directory/repository.hpp"
#include "domain/directory/service.hpp"
#include "domain/scheduling/service.hpp"

namespace ihos::cli {
namespace {

using domain::directory::ApplicationInput;
using domain::directory::DirectoryService;
using domain::directory::HospitalInput;

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

void Be32(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xFF));
}

void Chunk(std::string& png, const char* type, const std::string& data) {
  Be32(png, static_cast<std::uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  png += body;
  Be32(png, Crc32(body));
}

struct DemoDoctor {
  const char* phone;
  const char* name;
  const char* birth;
  const char* seq;
  int hospital;  // index into the demo hospitals
  const char* department;
  const char* title;
  const char* scope;
  const char* licence;
  int years;
  const char* intro;
  const char* specialties;
  bool free_clinic;
  bool approve;
};

constexpr std::array<DemoDoctor, 8> kDoctors = {{
    {"13800000003", "演示·李医生", "19780620", "031", 0, "endocrinology", "chief_physician", "内科专业",
     "110110000000031", 20, "【演示数据】从事内分泌临床工作二十年，擅长甲状腺疾病、糖尿病的诊治与长期随访。",
     "甲状腺结节 甲亢 糖尿病", false, true},
    {"13800000005", "演示·周医生", "19820211", "051", 0, "pediatrics", "associate_chief_physician", "儿科专业",
     "110110000000051", 14, "【演示数据】儿科副主任医师，擅长小儿呼吸道感染、发热、生长发育咨询。",
     "小儿发热 咳嗽 生长发育", false, true},
    {"13800000006", "演示·吴医生", "19860918", "061", 1, "general_practice", "attending_physician", "全科医学专业",
     "110110000000061", 9, "【演示数据】社区全科医生，慢病随访与常见病咨询；每周参加线上义诊。",
     "高血压 慢病管理 常见病", true, true},
    {"13800000007", "演示·郑老师", "19840403", "071", 0, "psychology", "counsellor", "心理咨询", "XLZX2015A0071", 10,
     "【演示数据】国家二级心理咨询师，擅长焦虑、睡眠问题与青少年心理支持。", "焦虑 失眠 青少年心理", false, true},
    {"13800000008", "演示·孙医生", "19750730", "081", 0, "respiratory", "chief_physician", "内科专业",
     "110110000000081", 24, "【演示数据】呼吸内科主任医师，擅长慢性咳嗽、哮喘、慢阻肺的诊治。", "慢性咳嗽 哮喘 慢阻肺",
     false, true},
    {"13800000009", "演示·钱医生", "19880112", "091", 1, "dermatology", "attending_physician", "皮肤病与性病专业",
     "110110000000091", 7, "【演示数据】皮肤科主治医师，擅长湿疹、痤疮、荨麻疹。", "湿疹 痤疮 荨麻疹", false, true},
    {"13800000010", "演示·冯医生", "19790505", "101", 0, "cardiology", "associate_chief_physician", "内科专业",
     "110110000000101", 17, "【演示数据】心内科副主任医师，擅长高血压、冠心病术后随访。", "高血压 冠心病 心律失常",
     false, true},
    {"13800000011", "演示·陈医生", "19870808", "111", 0, "gastroenterology", "attending_physician", "内科专业",
     "110110000000111", 6, "【演示数据】消化内科主治医师（待审核的演示申请）。", "胃炎 反流性食管炎", false, false},
}};

}  // namespace

// A real, decodable PNG: a white card with a coloured header band and a diagonal "placeholder"
// stripe, so a demo certificate is visibly not a real document. Uncompressed (stored) deflate.
std::string PlaceholderPng(std::uint32_t rgb) {
  constexpr int kW = 240, kH = 150;
  std::string raw;
  for (int y = 0; y < kH; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < kW; ++x) {
      std::uint32_t c = 0xFFFFFF;
      if (y < 28)
        c = rgb;
      else if (x < 3 || x >= kW - 3 || y >= kH - 3)
        c = rgb;
      else if (((x + y) / 12) % 2 == 0 && (x - y) > 60 && (x - y) < 120)
        c = 0xF2D7D5;
      else if (y > 50 && y < 56 && x > 20 && x < 200)
        c = 0xBBBBBB;
      else if (y > 70 && y < 76 && x > 20 && x < 160)
        c = 0xBBBBBB;
      else if (y > 90 && y < 96 && x > 20 && x < 180)
        c = 0xBBBBBB;
      raw.push_back(static_cast<char>((c >> 16) & 0xFF));
      raw.push_back(static_cast<char>((c >> 8) & 0xFF));
      raw.push_back(static_cast<char>(c & 0xFF));
    }
  }
  std::string z = "\x78\x01";
  for (std::size_t at = 0; at < raw.size(); at += 65535) {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
    z.push_back(at + n == raw.size() ? 1 : 0);
    z.push_back(static_cast<char>(n & 0xFF));
    z.push_back(static_cast<char>(n >> 8));
    z.push_back(static_cast<char>(~n & 0xFF));
    z.push_back(static_cast<char>((~n >> 8) & 0xFF));
    z.append(raw, at, n);
  }
  std::uint32_t a = 1, b = 0;
  for (unsigned char ch : raw) {
    a = (a + ch) % 65521;
    b = (b + a) % 65521;
  }
  Be32(z, (b << 16) | a);
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  Be32(ihdr, kW);
  Be32(ihdr, kH);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
  Chunk(png, "IHDR", ihdr);
  Chunk(png, "IDAT", z);
  Chunk(png, "IEND", "");
  return png;
}

int SeedDemoDirectory(store::Database& db, domain::accounts::AccountService& accounts, const Principal& admin,
                      const std::string& password) {
  SystemClock clock;
  DirectoryService dir(db, clock, accounts, {});
  domain::scheduling::SchedulingService scheduling(db, clock, accounts, {});
  const RequestMeta meta{"seed-demo", "cli"};
  const std::array<HospitalInput, 2> hospitals = {{
      {"演示·市第一人民医院",
       "3A",
       "北京市东城区演示路 1 号（演示地址）",
       "110101",
       "DEMO00001110101A1001",
       2500,
       {"general_practice", "internal_medicine",   "respiratory", "gastroenterology",
        "cardiology",       "endocrinology",       "neurology",   "surgery",
        "orthopedics",      "gynecology",          "obstetrics",  "pediatrics",
        "dermatology",      "ophthalmology",       "ent",         "stomatology",
        "psychology",       "infectious_diseases", "tcm",         "emergency"}},
      {"演示·朝阳社区卫生服务中心",
       "1",
       "北京市朝阳区演示街 8 号（演示地址）",
       "110105",
       "DEMO00002110105B2002",
       1000,
       {"general_practice", "internal_medicine", "pediatrics", "dermatology", "tcm"}},
  }};
  std::array<std::int64_t, 2> hospital_ids{};
  auto existing = dir.Hospitals();
  if (!existing) return PrintError(existing.error()), 1;
  for (std::size_t i = 0; i < hospitals.size(); ++i) {
    for (const auto& h : *existing)
      if (h.name == hospitals[i].name) hospital_ids[i] = h.id;
    if (hospital_ids[i] == 0) {
      auto h = dir.CreateHospital(admin, hospitals[i], meta);
      if (!h) return PrintError(h.error()), 1;
      hospital_ids[i] = h->id;
    }
  }
  std::cout << "Demo hospitals: 演示·市第一人民医院, 演示·朝阳社区卫生服务中心\n";

  const std::array<std::uint32_t, 4> colours = {0x1677FF, 0x2BA471, 0xE37318, 0x8E44AD};
  for (const auto& d : kDoctors) {
    domain::accounts::RegisterInput in{d.phone, password, d.name, DemoIdNumber(d.birth, d.seq), std::nullopt};
    auto u = accounts.Register(in, meta);
    std::int64_t user_id = 0;
    if (u) {
      user_id = u->id;
    } else if (u.error().code == "phone_taken" || u.error().code == "id_number_taken") {
      auto id = db.With<std::optional<std::int64_t>>(
          store::TxMode::read, [&](store::Tx& tx) { return domain::accounts::repo::FindUserIdByPhone(tx, d.phone); });
      if (!id || !*id) return 1;
      user_id = **id;
    } else {
      return PrintError(u.error()), 1;
    }
    Principal applicant{user_id, d.name, {"patient"}};
    auto already = dir.MyApplications(applicant);
    if (!already) return PrintError(already.error()), 1;
    if (!already->empty()) continue;
    // The four certificates are placeholder cards; demo doctors have no photo (the pages show
    // the name's first character instead of a fake face).
    std::array<std::int64_t, 4> uploads{};
    for (std::size_t i = 0; i < uploads.size(); ++i) {
      static const char* kNames[] = {"演示-身份证.png", "演示-执业证书.png", "演示-资格证书.png", "演示-职称证书.png"};
      auto f = dir.Upload(applicant, "image/png", PlaceholderPng(colours[i] ^ static_cast<std::uint32_t>(user_id)),
                          kNames[i]);
      if (!f) return PrintError(f.error()), 1;
      uploads[i] = f->id;
    }
    ApplicationInput app{hospital_ids[static_cast<std::size_t>(d.hospital)],
                         d.department,
                         d.title,
                         d.scope,
                         d.licence,
                         d.years,
                         d.intro,
                         d.specialties,
                         d.free_clinic,
                         uploads[0],
                         uploads[1],
                         uploads[2],
                         uploads[3],
                         std::nullopt};
    auto a = dir.Apply(applicant, app, meta);
    if (!a) return PrintError(a.error()), 1;
    if (d.approve) {
      auto ok = dir.Approve(admin, a->id, CivilDateCst(clock.NowMs() + 5LL * 365 * 24 * 3600 * 1000), meta);
      if (!ok) return PrintError(ok.error()), 1;
      // Demo hours: every day text consultations 08:00-12:00 and 19:00-22:00 (so a demo always
      // has something bookable soon), phone 14:00-17:00 on weekdays, and an offline clinic on
      // Tuesday and Thursday mornings; the free-clinic volunteer gives Saturday afternoons free.
      std::vector<domain::scheduling::TemplatePeriod> periods;
      for (int wd = 1; wd <= 7; ++wd) {
        periods.push_back({wd, 8 * 60, 12 * 60, "text", 20, 0, false});
        periods.push_back({wd, 19 * 60, 22 * 60, "text", 15, 0, false});
        if (wd <= 5) periods.push_back({wd, 14 * 60, 17 * 60, "phone", 8, 0, false});
      }
      periods.push_back({2, 8 * 60, 11 * 60 + 30, "offline", 30, 5000, false});
      periods.push_back({4, 8 * 60, 11 * 60 + 30, "offline", 30, 5000, false});
      if (d.free_clinic) periods.push_back({6, 14 * 60, 17 * 60, "text", 30, 0, true});
      Principal doctor{user_id, d.name, {"patient", "doctor"}};
      auto sched = scheduling.ReplaceTemplate(doctor, periods);
      if (!sched) return PrintError(sched.error()), 1;
    }
    std::cout << "  " << (d.approve ? "doctor" : "applicant") << "\t" << d.phone << "\t" << d.name << "\n";
  }
  return 0;
}

}  // namespace ihos::cli
