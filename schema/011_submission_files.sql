-- Multi-file submissions: the files as a JSON array [{"name", "content"}]
-- (NULL: the submission is its one `source`, named as its language says),
-- and the entry point the submitter gave (NULL: derived from the files).
-- `source` keeps the entry file's content (or the first file's), for readers
-- that know one file only.
ALTER TABLE submissions ADD COLUMN files TEXT;
ALTER TABLE submissions ADD COLUMN entry_point TEXT;
