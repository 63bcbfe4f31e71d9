// Pure rules of the directory and the compiled-in administrative divisions.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/regions.hpp"
#include "domain/directory/rules.hpp"

namespace ihos::domain::directory {
namespace {

TEST(Regions, KnowsEveryLevelAndSkipsPlaceholders) {
  ASSERT_NE(FindRegion("110101"), nullptr);
  EXPECT_EQ(FindRegion("110101")->name, "东城区");
  EXPECT_EQ(RegionPath("110101"), "北京市 东城区");  // 市辖区 skipped
  EXPECT_EQ(RegionPath("440305"), "广东省 深圳市 南山区");
  EXPECT_EQ(RegionPath("429004"), "湖北省 仙桃市");  // 省直辖县级行政区划 skipped
  EXPECT_EQ(FindRegion("999999"), nullptr);
  EXPECT_EQ(RegionPath("999999"), "");
  EXPECT_EQ(RegionChildren("").size(), 31u);  // provinces, no HK/MO/TW in this data set
}

TEST(DirectoryRules, RegionMustBeACityOrCounty) {
  EXPECT_EQ(CheckRegionCode("110101"), "");
  EXPECT_EQ(CheckRegionCode("440300"), "");
  EXPECT_EQ(CheckRegionCode("440000"), "region_too_broad");
  EXPECT_EQ(CheckRegionCode("12345"), "region_unknown");
}

TEST(DirectoryRules, LicenceNumbersByTitle) {
  EXPECT_EQ(CheckPractitionerLicence("110110000012345", "chief_physician"), "");
  EXPECT_EQ(CheckPractitionerLicence("11011000001234", "chief_physician"), "licence_format");
  EXPECT_EQ(CheckPractitionerLicence("11011000001234X", "resident_physician"), "licence_format");
  EXPECT_EQ(CheckPractitionerLicence("XLZX2015A0071", "counsellor"), "");
  EXPECT_EQ(CheckPractitionerLicence("XL-1", "counsellor"), "licence_format");
  EXPECT_EQ(CheckHospitalLicence("PDY00001-111010117A1001"), "");
  EXPECT_EQ(CheckHospitalLicence("P 1"), "licence_format");
}

TEST(DirectoryRules, CounsellorsOnlyInCounsellingDepartmentsAndThreeYearsOfPractice) {
  EXPECT_EQ(CheckTitleForDepartment("counsellor", false), "title_not_in_department");
  EXPECT_EQ(CheckTitleForDepartment("psychotherapist", true), "");
  EXPECT_EQ(CheckTitleForDepartment("chief_physician", true), "");
  EXPECT_EQ(CheckYearsPractice(2), "too_few_years");
  EXPECT_EQ(CheckYearsPractice(3), "");
  EXPECT_EQ(CheckYearsPractice(71), "out_of_range");
}

TEST(DirectoryRules, ExpiryIsARealFutureDate) {
  EXPECT_EQ(CheckExpiry("2030-02-28", "2026-11-23"), "");
  EXPECT_EQ(CheckExpiry("2030-02-30", "2026-11-23"), "date_format");
  EXPECT_EQ(CheckExpiry("2030-2-28", "2026-11-23"), "date_format");
  EXPECT_EQ(CheckExpiry("2026-11-23", "2026-11-23"), "date_not_future");
  EXPECT_EQ(CstMidnightMs("1970-01-02").value(), 16LL * 3600 * 1000);  // 00:00 UTC+8
}

TEST(DirectoryRules, FileTypesComeFromTheBytes) {
  EXPECT_EQ(SniffContentType("\xFF\xD8\xFF\xE0 jfif").value_or(""), "image/jpeg");
  EXPECT_EQ(SniffContentType(std::string("\x89PNG\r\n\x1a\n\0\0", 10)).value_or(""), "image/png");
  EXPECT_EQ(SniffContentType(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)).value_or(""), "image/webp");
  EXPECT_EQ(SniffContentType("%PDF-1.7\n").value_or(""), "application/pdf");
  EXPECT_FALSE(SniffContentType("GIF89a"));
  EXPECT_FALSE(SniffContentType("<svg xmlns='http://www.w3.org/2000/svg'/>"));
  EXPECT_FALSE(SniffContentType("\x89PN"));
  EXPECT_FALSE(SniffContentType(""));
}

TEST(Crypto, Sha256AndBase64RoundTrip) {
  EXPECT_EQ(crypto::Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string bytes("\0\x01\xFFhello", 8);
  EXPECT_EQ(crypto::Base64Decode(crypto::Base64Encode(bytes)).value(), bytes);
  EXPECT_EQ(crypto::Base64Encode("hi"), "aGk=");
  EXPECT_FALSE(crypto::Base64Decode("not base64!"));
}

}  // namespace
}  // namespace ihos::domain::directory
