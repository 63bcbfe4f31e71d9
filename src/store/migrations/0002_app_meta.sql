-- Facts about this installation, e.g. demo = 1 when `ihos seed-demo` loaded labelled demo data.
CREATE TABLE app_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
