-- A custom output validator is stored compiled (C, C++) or as source (Python),
-- with the language it runs as and the validator_flags of its package.
ALTER TABLE problems ADD COLUMN validator_language TEXT;
ALTER TABLE problems ADD COLUMN validator_flags TEXT NOT NULL DEFAULT '';
