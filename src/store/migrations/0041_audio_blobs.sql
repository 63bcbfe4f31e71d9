-- Voice clips of a consultation are uploads too: the blobs may now also hold the audio
-- that browsers' MediaRecorder and phones record. Only the CHECK of blobs.content_type widens.
-- SQLite cannot alter a CHECK in place; changing the table's SQL text is the documented way for a
-- change that leaves the stored rows as they are (sqlite.org/lang_altertable.html, "Making
-- other kinds of table schema changes"). Migrations run before any other connection opens.
/*sqlite*/ PRAGMA writable_schema = ON;
/*sqlite*/ UPDATE sqlite_schema SET sql = replace(sql, '''application/pdf'')', '''application/pdf'', ''audio/webm'', ''audio/ogg'', ''audio/wav'', ''audio/mp4'', ''audio/mpeg'', ''audio/amr'')') WHERE type = 'table' AND name = 'blobs';
/*sqlite*/ PRAGMA writable_schema = RESET;
/*postgres*/ ALTER TABLE blobs DROP CONSTRAINT blobs_content_type_check;
/*postgres*/ ALTER TABLE blobs ADD CONSTRAINT blobs_content_type_check CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'audio/webm', 'audio/ogg', 'audio/wav', 'audio/mp4', 'audio/mpeg', 'audio/amr'));
