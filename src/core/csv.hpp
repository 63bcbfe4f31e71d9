#pragma once
// Reading CSV (RFC 4180) records from a stream: quoted fields may hold commas, doubled quotes
// and newlines; a CR before the LF is dropped. Used for the shared data files (triage questions,
// the ICD-10 catalogue).
#include <istream>
#include <string>
#include <vector>

namespace ihos {

// Reads the next record into `fields`; false at the end of the stream.
bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields);

}  // namespace ihos
