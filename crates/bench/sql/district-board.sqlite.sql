-- District board, by hand: the same figures as the GraphQL query of
-- docs/dashboards.md (a), in six statements (SQLite has no percentile_cont). {today} is the district's date.

-- The government.
SELECT d.name, d.time_zone FROM districts d WHERE d.id = {district_id};

-- Its figure in the last five periods (own official score, else the mean of its
-- OPDs'), zone, change since the previous period, the OPDs' zone distribution.
WITH opd_figures AS (
  SELECT s.period_id, s.total_hundredths AS total, b.zone
  FROM score_records s
  JOIN methodology_bands b ON b.methodology_id = s.methodology_id AND b.code = s.band_code
  WHERE s.district_id = {district_id} AND s.opd_id IS NOT NULL AND s.kind = 'OFFICIAL' AND s.is_current),
members AS (
  SELECT period_id, ROUND(AVG(total)) AS mean,
         SUM(CASE WHEN zone = 'GREEN' THEN 1 ELSE 0 END) AS green,
         SUM(CASE WHEN zone = 'YELLOW' THEN 1 ELSE 0 END) AS yellow,
         SUM(CASE WHEN zone = 'RED' THEN 1 ELSE 0 END) AS red
  FROM opd_figures GROUP BY period_id),
own AS (
  SELECT period_id, total_hundredths AS total FROM score_records
  WHERE district_id = {district_id} AND opd_id IS NULL AND kind = 'OFFICIAL' AND is_current),
figures AS (
  SELECT p.year, p.methodology_id, COALESCE(o.total, m.mean) AS total,
         CASE WHEN o.total IS NOT NULL THEN 'OWN_SCORE' ELSE 'MEAN_OF_OPDS' END AS basis,
         COALESCE(m.green, 0) AS green, COALESCE(m.yellow, 0) AS yellow, COALESCE(m.red, 0) AS red
  FROM assessment_periods p
  LEFT JOIN own o ON o.period_id = p.id
  LEFT JOIN members m ON m.period_id = p.id
  WHERE o.total IS NOT NULL OR m.mean IS NOT NULL),
changes AS (
  SELECT f.*, f.total - LAG(f.total) OVER (ORDER BY f.year) AS change FROM figures f)
SELECT c.year, c.total, c.basis, b.zone, c.change, c.green, c.yellow, c.red
FROM changes c
LEFT JOIN methodology_bands b ON b.methodology_id = c.methodology_id
  AND c.total BETWEEN b.min_hundredths AND b.max_hundredths
ORDER BY c.year DESC LIMIT 5;

-- Its action items: open, overdue, verified, verified on time, median days to verify.
SELECT
  SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') THEN 1 ELSE 0 END) AS open,
  SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND i.due_on < '{today}' THEN 1 ELSE 0 END) AS overdue,
  SUM(CASE WHEN i.status = 'VERIFIED' THEN 1 ELSE 0 END) AS verified,
  SUM(CASE WHEN i.status = 'VERIFIED' AND date(i.verified_at, CASE d.time_zone WHEN 'Asia/Jakarta' THEN '+7 hours'
        WHEN 'Asia/Makassar' THEN '+8 hours' ELSE '+9 hours' END) <= i.due_on THEN 1 ELSE 0 END) AS verified_on_time
FROM action_items i JOIN districts d ON d.id = i.district_id
WHERE i.district_id = {district_id};

-- SQLite has no percentile: the middle one or two of the ordered durations.
WITH durations AS (
  SELECT julianday(verified_at) - julianday(created_at) AS days FROM action_items
  WHERE district_id = {district_id} AND status = 'VERIFIED' AND verified_at IS NOT NULL),
ordered AS (
  SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS n, COUNT(*) OVER () AS of_n FROM durations)
SELECT AVG(days) AS median_days_to_verify FROM ordered WHERE n IN ((of_n + 1) / 2, (of_n + 2) / 2);

-- OPD standings in the latest period: best three, most improved three, moved down a zone.
WITH figures AS (
  SELECT s.opd_id, p.year, s.total_hundredths AS total, b.zone,
         LAG(s.total_hundredths) OVER w AS previous_total, LAG(b.zone) OVER w AS previous_zone
  FROM score_records s
  JOIN assessment_periods p ON p.id = s.period_id
  JOIN methodology_bands b ON b.methodology_id = s.methodology_id AND b.code = s.band_code
  WHERE s.district_id = {district_id} AND s.opd_id IS NOT NULL AND s.kind = 'OFFICIAL' AND s.is_current
  WINDOW w AS (PARTITION BY s.opd_id ORDER BY p.year)),
latest AS (SELECT * FROM figures WHERE year = (SELECT MAX(year) FROM figures)),
ranked AS (
  SELECT l.*,
         ROW_NUMBER() OVER (ORDER BY l.total DESC, l.opd_id) AS best_place,
         ROW_NUMBER() OVER (ORDER BY COALESCE(l.total - l.previous_total, -100000) DESC, l.opd_id) AS improved_place,
         CASE l.zone WHEN 'GREEN' THEN 3 WHEN 'YELLOW' THEN 2 ELSE 1 END
           < CASE l.previous_zone WHEN 'GREEN' THEN 3 WHEN 'YELLOW' THEN 2 WHEN 'RED' THEN 1 ELSE 0 END AS moved_down
  FROM latest l)
SELECT r.year, o.name, r.total, r.zone, r.total - r.previous_total AS change, r.previous_zone,
       r.best_place <= 3 AS best, r.improved_place <= 3 AS most_improved, r.moved_down
FROM ranked r JOIN opds o ON o.id = r.opd_id
WHERE r.best_place <= 3 OR r.improved_place <= 3 OR r.moved_down
ORDER BY r.best_place;

-- The first 100 OPDs by name: latest score and band, last five periods with change,
-- open and overdue items.
WITH page AS (
  SELECT o.id, o.name FROM opds o WHERE o.district_id = {district_id} ORDER BY o.name, o.id LIMIT 100),
history AS (
  SELECT s.opd_id, p.year, s.total_hundredths AS total, s.band_code, b.zone,
         s.total_hundredths - LAG(s.total_hundredths) OVER (PARTITION BY s.opd_id ORDER BY p.year) AS change,
         ROW_NUMBER() OVER (PARTITION BY s.opd_id ORDER BY p.year DESC) AS back
  FROM score_records s
  JOIN page ON page.id = s.opd_id
  JOIN assessment_periods p ON p.id = s.period_id
  JOIN methodology_bands b ON b.methodology_id = s.methodology_id AND b.code = s.band_code
  WHERE s.kind = 'OFFICIAL' AND s.is_current),
items AS (
  SELECT i.opd_id,
         SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') THEN 1 ELSE 0 END) AS open,
         SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND i.due_on < '{today}' THEN 1 ELSE 0 END) AS overdue
  FROM action_items i JOIN page ON page.id = i.opd_id GROUP BY i.opd_id)
SELECT page.name, (SELECT COUNT(*) FROM opds WHERE district_id = {district_id}) AS total_count,
       h.year, h.total, h.band_code, h.zone, h.change, h.back = 1 AS latest,
       COALESCE(items.open, 0) AS open, COALESCE(items.overdue, 0) AS overdue
FROM page
LEFT JOIN history h ON h.opd_id = page.id AND h.back <= 5
LEFT JOIN items ON items.opd_id = page.id
ORDER BY page.name, page.id, h.year;
