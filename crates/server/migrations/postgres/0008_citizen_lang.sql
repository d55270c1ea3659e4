-- The language a citizen used for a report or a message ('de' or 'en', from the widget's
-- ?lang= or Accept-Language), so that their mails and the pages behind the links in them
-- speak it too. Rows from before this change were all answered in German. Keep in step
-- with ../sqlite/.
ALTER TABLE reports ADD COLUMN lang TEXT NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en'));
ALTER TABLE messages ADD COLUMN lang TEXT NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en'));
