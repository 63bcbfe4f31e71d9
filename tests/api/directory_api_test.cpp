// Directory API: the department catalogue, hospitals, uploads, applications to practise, the
// admin review, suspension, and what patients find. Every case runs on SQLite and PostgreSQL.
#include "harness.hpp"

namespace ihos::apitest {
namespace api_directory_api_test {

namespace json = boost::json;
using boost::beast::http::verb;

// Bytes that are a PNG by their signature, padded to `size`.
std::string Png(std::size_t size = 256, char fill = 'a') {
  std::string b("\x89PNG\r\n\x1a\n", 8);
  b.resize(std::max<std::size_t>(size, 8), fill);
  return b;
}
std::string Pdf() { return "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"; }

std::string FieldCode(const Resp& r, const std::string& field) {
  for (const auto& e : r.json().at("errors").as_array())
    if (e.at("field").as_string() == field) return std::string(e.at("code").as_string());
  return "";
}

class DirectoryApiTest : public ApiTest {
 protected:
  std::int64_t Upload(const std::string& token, const std::string& bytes, const std::string& type = "image/png") {
    auto r = s().Call(verb::post, "/api/v1/files", bytes, token, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  std::int64_t CreateHospital(const std::string& admin, const std::string& name, const std::string& licence) {
    auto r = s().Post("/api/v1/admin/hospitals",
                      json::object{{"name", name},
                                   {"grade", "3A"},
                                   {"address", "北京市东城区演示路 1 号"},
                                   {"region_code", "110101"},
                                   {"licence_number", licence},
                                   {"general_price_fen", 2500},
                                   {"departments", json::array{"endocrinology", "pediatrics", "psychology"}}},
                      admin);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  json::object ApplicationBody(const std::string& token, std::int64_t hospital) {
    return json::object{{"hospital_id", hospital},
                        {"department_code", "endocrinology"},
                        {"title", "attending_physician"},
                        {"practice_scope", "内科专业"},
                        {"licence_number", "110110000012345"},
                        {"years_practice", 8},
                        {"introduction", "擅长甲状腺疾病、糖尿病的诊治。"},
                        {"specialties", "甲状腺结节 糖尿病"},
                        {"id_card_upload", Upload(token, Png(300, 'i'))},
                        {"licence_upload", Upload(token, Pdf(), "application/pdf")},
                        {"qualification_upload", Upload(token, Png(300, 'q'))},
                        {"title_upload", Upload(token, Png(300, 't'))}};
  }
};

TEST_P(DirectoryApiTest, TheDepartmentCatalogueHasBothLanguages) {
  auto r = s().Get("/api/v1/departments");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& items = r.json().at("items").as_array();
  EXPECT_GE(items.size(), 20u);
  std::set<std::string> zh;
  for (const auto& d : items) {
    zh.insert(std::string(d.at("name_zh").as_string()));
    EXPECT_FALSE(d.at("name_en").as_string().empty());
  }
  for (const char* name :
       {"内科",   "外科",   "妇科",     "产科",     "儿科",   "中医科",   "皮肤科",   "眼科", "耳鼻喉科", "口腔科",
        "心理科", "感染科", "呼吸内科", "消化内科", "心内科", "内分泌科", "神经内科", "骨科", "急诊科",   "全科"})
    EXPECT_TRUE(zh.count(name)) << name;
}

TEST_P(DirectoryApiTest, AdminsAddHospitalsWithRealRegionCodes) {
  auto admin = s().NewAdmin();
  auto patient = s().NewPatient();
  const std::int64_t id = CreateHospital(admin.token, "演示·东城医院", "PDY00001-111010117A1001");
  auto h = s().Get("/api/v1/hospitals/" + std::to_string(id));
  ASSERT_EQ(h.status, 200);
  EXPECT_EQ(h.json().at("region_name").as_string(), "北京市 东城区");
  EXPECT_EQ(h.json().at("departments").as_array().size(), 3u);

  auto deps = s().Get("/api/v1/departments?hospital_id=" + std::to_string(id));
  ASSERT_EQ(deps.status, 200);
  EXPECT_EQ(deps.json().at("items").as_array().size(), 3u);

  json::object bad{{"name", "演示·某医院"},      {"grade", "3A"},
                   {"address", "某地某路 2 号"}, {"region_code", "999999"},
                   {"licence_number", "PDY-2"},  {"general_price_fen", 100}};
  auto r = s().Post("/api/v1/admin/hospitals", bad, admin.token);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(FieldCode(r, "region_code"), "region_unknown");
  EXPECT_EQ(FieldCode(r, "licence_number"), "licence_format");
  bad["region_code"] = "110000";
  bad["licence_number"] = "PDY0000002";
  EXPECT_EQ(FieldCode(s().Post("/api/v1/admin/hospitals", bad, admin.token), "region_code"), "region_too_broad");
  bad["region_code"] = "440305";
  bad["departments"] = json::array{"no_such_department"};
  EXPECT_EQ(FieldCode(s().Post("/api/v1/admin/hospitals", bad, admin.token), "departments"), "department_unknown");

  json::object dup{{"name", "演示·东城医院"},        {"grade", "2A"},
                   {"address", "某地某路 3 号"},     {"region_code", "440305"},
                   {"licence_number", "PDY0000003"}, {"general_price_fen", 100}};
  auto conflict = s().Post("/api/v1/admin/hospitals", dup, admin.token);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.json().at("code").as_string(), "hospital_exists");
  EXPECT_EQ(s().Post("/api/v1/admin/hospitals", dup, patient.token).status, 403);
  EXPECT_EQ(s().Get("/api/v1/hospitals").json().at("items").as_array().size(), 1u);
}

TEST_P(DirectoryApiTest, UploadsAreCheckedByContentAndPrivateToTheirOwner) {
  auto owner = s().NewPatient("上传者");
  auto other = s().NewPatient("旁人");
  auto admin = s().NewAdmin();
  const std::string png = Png(1000);
  auto up = s().Call(verb::post, "/api/v1/files", png, owner.token,
                     {{"Content-Type", "image/png"}, {"X-File-Name", "%E6%89%A7%E4%B8%9A%E8%AF%81.png"}});
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(up.json().at("content_type").as_string(), "image/png");
  EXPECT_EQ(up.json().at("size").as_int64(), 1000);
  EXPECT_EQ(up.json().at("file_name").as_string(), "执业证.png");
  EXPECT_EQ(up.json().at("sha256").as_string().size(), 64u);
  const std::string path = "/api/v1/files/" + std::to_string(up.json().at("id").as_int64());

  auto mine = s().Get(path, owner.token);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body, png);
  EXPECT_EQ(mine.header("content-type"), "image/png");
  EXPECT_EQ(mine.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(s().Get(path, other.token).status, 404);
  EXPECT_EQ(s().Get(path).status, 401);
  // Not part of an application to practise: private even from admins (see the next test).
  EXPECT_EQ(s().Get(path, admin.token).status, 404);

  auto text =
      s().Call(verb::post, "/api/v1/files", "hello, not an image", owner.token, {{"Content-Type", "image/png"}});
  EXPECT_EQ(text.status, 415);
  EXPECT_EQ(text.json().at("code").as_string(), "file_type_unsupported");
  auto lie = s().Call(verb::post, "/api/v1/files", png, owner.token, {{"Content-Type", "image/jpeg"}});
  EXPECT_EQ(lie.status, 415);
  EXPECT_EQ(lie.json().at("code").as_string(), "file_type_mismatch");
  auto html = s().Call(verb::post, "/api/v1/files", "<html><script>alert(1)</script></html>", owner.token,
                       {{"Content-Type", "text/html"}});
  EXPECT_EQ(html.status, 415);
  auto empty = s().Call(verb::post, "/api/v1/files", "", owner.token, {{"Content-Type", "image/png"}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.json().at("code").as_string(), "file_empty");
}

TEST(DirectoryUploadLimit, UploadsMayExceedTheBodyLimitButNotTheUploadLimit) {
  app::Config c;
  c.upload_limit = 2 * 1024 * 1024;
  TestServer s(store::Backend::sqlite, c);
  auto p = s.NewPatient();
  auto big = s.Call(verb::post, "/api/v1/files", Png(1536 * 1024), p.token, {{"Content-Type", "image/png"}});
  EXPECT_EQ(big.status, 201) << big.body.substr(0, 200);
  auto too_big = s.Call(verb::post, "/api/v1/files", Png(2560 * 1024), p.token, {{"Content-Type", "image/png"}});
  EXPECT_EQ(too_big.status, 413);
  // Other routes keep the 1 MiB body limit.
  std::string large_json = "{\"phone\":\"" + std::string(1100 * 1024, '1') + "\"}";
  EXPECT_EQ(s.Call(verb::post, "/api/v1/auth/login", large_json).status, 413);
}

TEST_P(DirectoryApiTest, ApplyReviewApproveAndPatientsFindTheDoctor) {
  auto admin = s().NewAdmin();
  auto applicant = s().NewPatient("张医生");
  auto stranger = s().NewPatient("旁人");
  const std::int64_t hospital = CreateHospital(admin.token, "演示·第一医院", "PDY0000010");

  // Field errors name each bad field.
  json::object body = ApplicationBody(applicant.token, hospital);
  json::object bad = body;
  bad["years_practice"] = 2;
  bad["licence_number"] = "12345";
  bad["department_code"] = "orthopedics";
  bad["title_upload"] = Upload(stranger.token, Png(64, 'x'));
  auto r = s().Post("/api/v1/practitioner-applications", bad, applicant.token);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(FieldCode(r, "years_practice"), "too_few_years");
  EXPECT_EQ(FieldCode(r, "licence_number"), "licence_format");
  EXPECT_EQ(FieldCode(r, "department_code"), "department_not_offered");
  EXPECT_EQ(FieldCode(r, "title_upload"), "upload_unknown");
  json::object counsellor = body;
  counsellor["title"] = "counsellor";
  counsellor["licence_number"] = "XL2019A001";
  EXPECT_EQ(FieldCode(s().Post("/api/v1/practitioner-applications", counsellor, applicant.token), "title"),
            "title_not_in_department");

  auto applied = s().Post("/api/v1/practitioner-applications", body, applicant.token);
  ASSERT_EQ(applied.status, 201) << applied.body;
  EXPECT_EQ(applied.json().at("status").as_string(), "pending");
  const std::int64_t app_id = applied.json().at("id").as_int64();
  auto again = s().Post("/api/v1/practitioner-applications", body, applicant.token);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json().at("code").as_string(), "application_pending");

  // Not a doctor yet: patients cannot find them.
  EXPECT_EQ(s().Get("/api/v1/doctors?department=endocrinology").json().at("total").as_int64(), 0);

  auto queue = s().Get("/api/v1/admin/practitioner-applications", admin.token);
  ASSERT_EQ(queue.status, 200);
  ASSERT_EQ(queue.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(s().Get("/api/v1/admin/practitioner-applications", applicant.token).status, 403);
  const std::string app_path = "/api/v1/admin/practitioner-applications/" + std::to_string(app_id);
  ASSERT_EQ(s().Get(app_path, admin.token).status, 200);

  auto past = s().Post(app_path + "/approve", json::object{{"licence_expires_on", "2020-01-01"}}, admin.token);
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(FieldCode(past, "licence_expires_on"), "date_not_future");
  auto approved = s().Post(app_path + "/approve", json::object{{"licence_expires_on", "2031-12-31"}}, admin.token);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("status").as_string(), "approved");
  const std::int64_t doctor = approved.json().at("practitioner_id").as_int64();
  EXPECT_EQ(s().Post(app_path + "/reject", json::object{{"reason", "重复审核"}}, admin.token).status, 409);

  auto me = s().Get("/api/v1/me", applicant.token);
  bool is_doctor = false;
  for (const auto& role : me.json().at("roles").as_array()) is_doctor = is_doctor || role.as_string() == "doctor";
  EXPECT_TRUE(is_doctor) << me.body;
  auto mine = s().Get("/api/v1/me/practitioner", applicant.token);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("licence_expires_on").as_string(), "2031-12-31");

  // Patients find the doctor by department, by a fragment of the name, and by hospital.
  for (const std::string& q : std::vector<std::string>{
           "/api/v1/doctors?department=endocrinology", "/api/v1/doctors?q=%E5%BC%A0",
           "/api/v1/doctors?q=%E7%94%B2%E7%8A%B6%E8%85%BA",
           "/api/v1/doctors?hospital_id=" + std::to_string(hospital) + "&title=attending_physician"}) {
    auto found = s().Get(q);
    ASSERT_EQ(found.status, 200) << q;
    ASSERT_EQ(found.json().at("total").as_int64(), 1) << q;
    const auto& d = found.json().at("items").as_array()[0];
    EXPECT_EQ(d.at("name").as_string(), "张医生");
    EXPECT_EQ(d.at("licence_number").as_string(), "110110000012345");
    EXPECT_EQ(d.at("hospital_name").as_string(), "演示·第一医院");
    EXPECT_TRUE(d.at("next_free").is_null());
  }
  EXPECT_EQ(s().Get("/api/v1/doctors?department=pediatrics").json().at("total").as_int64(), 0);
  EXPECT_EQ(s().Get("/api/v1/doctors?q=%25").json().at("total").as_int64(), 0);  // '%' is matched literally
  EXPECT_EQ(s().Get("/api/v1/doctors?sort=cheapest").status, 400);
  auto profile = s().Get("/api/v1/doctors/" + std::to_string(doctor));
  ASSERT_EQ(profile.status, 200);
  EXPECT_EQ(profile.json().at("department_name_zh").as_string(), "内分泌科");
  auto deps = s().Get("/api/v1/departments?hospital_id=" + std::to_string(hospital));
  for (const auto& d : deps.json().at("items").as_array())
    EXPECT_EQ(d.at("doctor_count").as_int64(), d.at("code").as_string() == "endocrinology" ? 1 : 0);

  // Suspension hides the doctor; reinstatement shows them again.
  const std::string prac = "/api/v1/admin/practitioners/" + std::to_string(doctor);
  EXPECT_EQ(s().Post(prac + "/suspend", json::object{}, admin.token).status, 400);  // a reason is required
  auto suspended = s().Post(prac + "/suspend", json::object{{"reason", "执业证书待核实"}}, admin.token);
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(suspended.json().at("status").as_string(), "suspended");
  EXPECT_EQ(s().Get("/api/v1/doctors/" + std::to_string(doctor)).status, 404);
  EXPECT_EQ(s().Get("/api/v1/doctors?department=endocrinology").json().at("total").as_int64(), 0);
  EXPECT_EQ(s().Post(prac + "/suspend", json::object{{"reason", "再次暂停"}}, admin.token).status, 409);
  EXPECT_EQ(s().Get("/api/v1/admin/practitioners?status=suspended", admin.token).json().at("items").as_array().size(),
            1u);
  EXPECT_EQ(FieldCode(s().Post(prac + "/reinstate", json::object{}, admin.token), "reason"), "required");
  ASSERT_EQ(s().Post(prac + "/reinstate", json::object{{"reason", "证书已核实"}}, admin.token).status, 200);
  EXPECT_EQ(s().Get("/api/v1/doctors/" + std::to_string(doctor)).status, 200);

  // A licence that expires takes the doctor out of patients' sight.
  s().clock().Advance(7LL * 365 * 24 * 3600 * 1000);
  EXPECT_EQ(s().Get("/api/v1/doctors/" + std::to_string(doctor)).status, 404);
}

TEST_P(DirectoryApiTest, ARejectedApplicantSeesWhyAndMayApplyAgain) {
  auto admin = s().NewAdmin();
  auto applicant = s().NewPatient("李医生");
  const std::int64_t hospital = CreateHospital(admin.token, "演示·第二医院", "PDY0000020");
  json::object body = ApplicationBody(applicant.token, hospital);
  auto applied = s().Post("/api/v1/practitioner-applications", body, applicant.token);
  ASSERT_EQ(applied.status, 201);
  const std::string path =
      "/api/v1/admin/practitioner-applications/" + std::to_string(applied.json().at("id").as_int64());
  EXPECT_EQ(FieldCode(s().Post(path + "/reject", json::object{{"reason", ""}}, admin.token), "reason"), "required");
  ASSERT_EQ(
      s().Post(path + "/reject", json::object{{"reason", "职称证书照片不清晰，请重新上传。"}}, admin.token).status,
      200);
  auto mine = s().Get("/api/v1/me/practitioner-applications", applicant.token);
  ASSERT_EQ(mine.status, 200);
  const auto& first = mine.json().at("items").as_array()[0];
  EXPECT_EQ(first.at("status").as_string(), "rejected");
  EXPECT_EQ(first.at("review_reason").as_string(), "职称证书照片不清晰，请重新上传。");
  EXPECT_EQ(s().Get("/api/v1/me/practitioner", applicant.token).status, 404);
  EXPECT_EQ(s().Post("/api/v1/practitioner-applications", body, applicant.token).status, 201);
}

TEST_P(DirectoryApiTest, AdminsSeeOnlyApplicationFilesAndEachCertificateIsItsOwnFile) {
  auto admin = s().NewAdmin();
  auto applicant = s().NewPatient("王医生");
  const std::int64_t hospital = CreateHospital(admin.token, "演示·第三医院", "PDY0000030");
  // A file that is not part of any application stays private, even from admins.
  const std::int64_t private_file = Upload(applicant.token, Png(128, 'p'));
  EXPECT_EQ(s().Get("/api/v1/files/" + std::to_string(private_file), admin.token).status, 404);

  json::object body = ApplicationBody(applicant.token, hospital);
  json::object reused = body;
  reused["photo_upload"] = body["id_card_upload"];  // the ID card must never become the public photo
  auto r = s().Post("/api/v1/practitioner-applications", reused, applicant.token);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(FieldCode(r, "photo_upload"), "upload_reused");

  auto applied = s().Post("/api/v1/practitioner-applications", body, applicant.token);
  ASSERT_EQ(applied.status, 201) << applied.body;
  const std::string id_card = "/api/v1/files/" + std::to_string(body["id_card_upload"].as_int64());
  ASSERT_EQ(s().Get(id_card, admin.token).status, 200);
  // The listing and the read are both in the applicant's access log.
  ASSERT_EQ(s().Get("/api/v1/admin/practitioner-applications", admin.token).status, 200);
  auto log = s().Get("/api/v1/me/access-log", applicant.token);
  std::set<std::string> actions;
  for (const auto& i : log.json().at("items").as_array()) actions.insert(std::string(i.at("action").as_string()));
  EXPECT_TRUE(actions.count("file.read")) << log.body;
  EXPECT_TRUE(actions.count("practitioner_application.list")) << log.body;

  // A department with a pending application cannot be closed under it.
  auto closed = s().Call(verb::put, "/api/v1/admin/hospitals/" + std::to_string(hospital) + "/departments",
                         json::serialize(json::object{{"departments", json::array{"pediatrics"}}}), admin.token);
  EXPECT_EQ(closed.status, 409) << closed.body;
  EXPECT_EQ(closed.json().at("code").as_string(), "department_in_use");
  auto kept =
      s().Call(verb::put, "/api/v1/admin/hospitals/" + std::to_string(hospital) + "/departments",
               json::serialize(json::object{{"departments", json::array{"endocrinology", "pediatrics"}}}), admin.token);
  EXPECT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json().at("departments").as_array().size(), 2u);
}

TEST_P(DirectoryApiTest, AnUndecodableFileNameIsDroppedNotRefused) {
  auto p = s().NewPatient();
  auto up = s().Call(verb::post, "/api/v1/files", Png(64), p.token,
                     {{"Content-Type", "image/png"}, {"X-File-Name", "%FF%C3"}});
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(up.json().at("file_name").as_string(), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_directory_api_test
}  // namespace ihos::apitest
