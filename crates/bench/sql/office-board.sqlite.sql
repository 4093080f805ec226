-- Office board, by hand: the same figures as the GraphQL query of
-- docs/dashboards.md (b), in five statements. {today} is the date in the
-- district's zone (the bench's district; all of an office's districts share a zone).

-- The office.
SELECT o.name FROM offices o WHERE o.id = {office_id};

-- Its figure in the last two periods (the mean of its districts' figures), zone,
-- change, and the districts' zone distribution.
WITH opd_figures AS (
  SELECT s.district_id, s.period_id, s.total_hundredths AS total
  FROM score_records s JOIN districts d ON d.id = s.district_id
  WHERE d.office_id = {office_id} AND s.opd_id IS NOT NULL AND s.kind = 'OFFICIAL' AND s.is_current),
opd_means AS (
  SELECT district_id, period_id, ROUND(AVG(total)) AS mean FROM opd_figures GROUP BY district_id, period_id),
own AS (
  SELECT s.district_id, s.period_id, s.total_hundredths AS total
  FROM score_records s JOIN districts d ON d.id = s.district_id
  WHERE d.office_id = {office_id} AND s.opd_id IS NULL AND s.kind = 'OFFICIAL' AND s.is_current),
figure_keys AS (
  SELECT district_id, period_id FROM opd_means UNION SELECT district_id, period_id FROM own),
district_figures AS (
  SELECT k.district_id, p.year, p.methodology_id, COALESCE(o.total, m.mean) AS total,
         CASE WHEN o.total IS NOT NULL THEN 'OWN_SCORE' ELSE 'MEAN_OF_OPDS' END AS basis
  FROM figure_keys k
  JOIN assessment_periods p ON p.id = k.period_id
  LEFT JOIN own o ON o.district_id = k.district_id AND o.period_id = k.period_id
  LEFT JOIN opd_means m ON m.district_id = k.district_id AND m.period_id = k.period_id),
classified AS (
  SELECT f.*, b.zone FROM district_figures f
  LEFT JOIN methodology_bands b ON b.methodology_id = f.methodology_id
    AND f.total BETWEEN b.min_hundredths AND b.max_hundredths),
office AS (
  SELECT year, methodology_id, ROUND(AVG(total)) AS total,
         SUM(CASE WHEN zone = 'GREEN' THEN 1 ELSE 0 END) AS green,
         SUM(CASE WHEN zone = 'YELLOW' THEN 1 ELSE 0 END) AS yellow,
         SUM(CASE WHEN zone = 'RED' THEN 1 ELSE 0 END) AS red
  FROM classified GROUP BY year, methodology_id),
changes AS (SELECT o.*, o.total - LAG(o.total) OVER (ORDER BY o.year) AS change FROM office o)
SELECT c.year, c.total, b.zone, c.change, c.green, c.yellow, c.red
FROM changes c
LEFT JOIN methodology_bands b ON b.methodology_id = c.methodology_id
  AND c.total BETWEEN b.min_hundredths AND b.max_hundredths
ORDER BY c.year DESC LIMIT 2;

-- Its action items: open, overdue, verified on time.
SELECT SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') THEN 1 ELSE 0 END) AS open,
       SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND i.due_on < '{today}' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN i.status = 'VERIFIED' THEN 1 ELSE 0 END) AS verified,
       SUM(CASE WHEN i.status = 'VERIFIED' AND date(i.verified_at, CASE d.time_zone WHEN 'Asia/Jakarta' THEN '+7 hours' WHEN 'Asia/Makassar' THEN '+8 hours' ELSE '+9 hours' END) <= i.due_on THEN 1 ELSE 0 END) AS verified_on_time
FROM action_items i JOIN districts d ON d.id = i.district_id
WHERE d.office_id = {office_id};

-- The first 100 districts by name: latest figure with basis, zone and change;
-- their action items.
WITH opd_figures AS (
  SELECT s.district_id, s.period_id, s.total_hundredths AS total
  FROM score_records s JOIN districts d ON d.id = s.district_id
  WHERE d.office_id = {office_id} AND s.opd_id IS NOT NULL AND s.kind = 'OFFICIAL' AND s.is_current),
opd_means AS (
  SELECT district_id, period_id, ROUND(AVG(total)) AS mean FROM opd_figures GROUP BY district_id, period_id),
own AS (
  SELECT s.district_id, s.period_id, s.total_hundredths AS total
  FROM score_records s JOIN districts d ON d.id = s.district_id
  WHERE d.office_id = {office_id} AND s.opd_id IS NULL AND s.kind = 'OFFICIAL' AND s.is_current),
figure_keys AS (
  SELECT district_id, period_id FROM opd_means UNION SELECT district_id, period_id FROM own),
district_figures AS (
  SELECT k.district_id, p.year, p.methodology_id, COALESCE(o.total, m.mean) AS total,
         CASE WHEN o.total IS NOT NULL THEN 'OWN_SCORE' ELSE 'MEAN_OF_OPDS' END AS basis
  FROM figure_keys k
  JOIN assessment_periods p ON p.id = k.period_id
  LEFT JOIN own o ON o.district_id = k.district_id AND o.period_id = k.period_id
  LEFT JOIN opd_means m ON m.district_id = k.district_id AND m.period_id = k.period_id),
classified AS (
  SELECT f.*, b.zone FROM district_figures f
  LEFT JOIN methodology_bands b ON b.methodology_id = f.methodology_id
    AND f.total BETWEEN b.min_hundredths AND b.max_hundredths),
history AS (
  SELECT c.*, c.total - LAG(c.total) OVER (PARTITION BY c.district_id ORDER BY c.year) AS change,
         ROW_NUMBER() OVER (PARTITION BY c.district_id ORDER BY c.year DESC) AS back
  FROM classified c),
page AS (
  SELECT d.id, d.name, d.time_zone FROM districts d WHERE d.office_id = {office_id}
  ORDER BY d.name, d.id LIMIT 100),
items AS (
  SELECT i.district_id, SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') THEN 1 ELSE 0 END) AS open,
       SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND i.due_on < '{today}' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN i.status = 'VERIFIED' THEN 1 ELSE 0 END) AS verified,
       SUM(CASE WHEN i.status = 'VERIFIED' AND date(i.verified_at, CASE d.time_zone WHEN 'Asia/Jakarta' THEN '+7 hours' WHEN 'Asia/Makassar' THEN '+8 hours' ELSE '+9 hours' END) <= i.due_on THEN 1 ELSE 0 END) AS verified_on_time
  FROM action_items i JOIN page d ON d.id = i.district_id GROUP BY i.district_id)
SELECT page.name, h.year, h.total, h.basis, h.zone, h.change,
       COALESCE(items.open, 0) AS open, COALESCE(items.overdue, 0) AS overdue,
       items.verified, items.verified_on_time
FROM page
LEFT JOIN history h ON h.district_id = page.id AND h.back = 1
LEFT JOIN items ON items.district_id = page.id
ORDER BY page.name, page.id;

-- The office's districts ranked in 2021 (competition ranks).
WITH opd_figures AS (
  SELECT s.district_id, s.period_id, s.total_hundredths AS total
  FROM score_records s JOIN districts d ON d.id = s.district_id
  WHERE d.office_id = {office_id} AND s.opd_id IS NOT NULL AND s.kind = 'OFFICIAL' AND s.is_current),
opd_means AS (
  SELECT district_id, period_id, ROUND(AVG(total)) AS mean FROM opd_figures GROUP BY district_id, period_id),
own AS (
  SELECT s.district_id, s.period_id, s.total_hundredths AS total
  FROM score_records s JOIN districts d ON d.id = s.district_id
  WHERE d.office_id = {office_id} AND s.opd_id IS NULL AND s.kind = 'OFFICIAL' AND s.is_current),
figure_keys AS (
  SELECT district_id, period_id FROM opd_means UNION SELECT district_id, period_id FROM own),
district_figures AS (
  SELECT k.district_id, p.year, p.methodology_id, COALESCE(o.total, m.mean) AS total,
         CASE WHEN o.total IS NOT NULL THEN 'OWN_SCORE' ELSE 'MEAN_OF_OPDS' END AS basis
  FROM figure_keys k
  JOIN assessment_periods p ON p.id = k.period_id
  LEFT JOIN own o ON o.district_id = k.district_id AND o.period_id = k.period_id
  LEFT JOIN opd_means m ON m.district_id = k.district_id AND m.period_id = k.period_id),
classified AS (
  SELECT f.*, b.zone FROM district_figures f
  LEFT JOIN methodology_bands b ON b.methodology_id = f.methodology_id
    AND f.total BETWEEN b.min_hundredths AND b.max_hundredths)
SELECT RANK() OVER (ORDER BY c.total DESC) AS rank, COUNT(*) OVER () AS out_of,
       d.name, c.total, c.zone
FROM classified c JOIN districts d ON d.id = c.district_id
WHERE c.year = 2021
ORDER BY rank, d.name;
