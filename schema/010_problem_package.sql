-- Where an imported problem came from, and the files of its statement.
-- package_id: the identity of the package it was imported from ("uuid:<uuid>" from problem.yaml, else
-- "folder:<name>" of the zip's top-level folder or the imported directory); NULL when it was written as JSON,
-- imported before this column existed, or from a package with neither.
ALTER TABLE problems ADD COLUMN package_id TEXT;

-- Files served with the statement: the PDF statement ("statement.pdf") and the images it shows ("figure.png").
CREATE TABLE problem_files (
  problem_id   INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  content_type TEXT NOT NULL,
  data         BLOB NOT NULL,
  PRIMARY KEY (problem_id, name)
);

-- What a team may see of a test it failed: its own output on a sample test (at most 64 KiB), and the
-- validator's teammessage.txt (at most 4 KiB); NULL when there is none.
ALTER TABLE test_results ADD COLUMN output BLOB;
ALTER TABLE test_results ADD COLUMN team_message TEXT;
