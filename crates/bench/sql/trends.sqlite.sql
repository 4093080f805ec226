-- Trends, by hand: the same figures as the GraphQL query under "Trends" in
-- docs/dashboards.md, in two statements. Weeks run Monday to Sunday in the
-- district's zone ({utc_offset} hours ahead of UTC); {this_monday} starts the
-- current one.

-- The district's last four weeks: raised, verified, open and overdue at the end.
WITH weeks(n) AS (VALUES (0), (1), (2), (3)),
bounds AS (
  SELECT n,
         strftime('%Y-%m-%dT%H:%M:%S+00:00', '{this_monday}', printf('%d days', -7 * (3 - n)), '-{utc_offset} hours') AS starts_at,
         strftime('%Y-%m-%dT%H:%M:%S+00:00', '{this_monday}', printf('%d days', 7 - 7 * (3 - n)), '-{utc_offset} hours') AS ends_at,
         date('{this_monday}', printf('%d days', 6 - 7 * (3 - n))) AS last_day
  FROM weeks),
items AS (
  SELECT created_at, verified_at, status, due_on,
         CASE status WHEN 'VERIFIED' THEN verified_at WHEN 'CANCELLED' THEN updated_at END AS closed_at
  FROM action_items WHERE district_id = {district_id})
SELECT w.n, w.starts_at, w.last_day,
  SUM(CASE WHEN i.created_at >= w.starts_at AND i.created_at < w.ends_at THEN 1 ELSE 0 END) AS raised,
  SUM(CASE WHEN i.status = 'VERIFIED' AND i.verified_at >= w.starts_at AND i.verified_at < w.ends_at THEN 1 ELSE 0 END) AS verified,
  SUM(CASE WHEN i.created_at < w.ends_at AND (i.closed_at IS NULL OR i.closed_at >= w.ends_at) THEN 1 ELSE 0 END) AS open_at_end,
  SUM(CASE WHEN i.created_at < w.ends_at AND (i.closed_at IS NULL OR i.closed_at >= w.ends_at)
           AND i.due_on < w.last_day THEN 1 ELSE 0 END) AS overdue_at_end
FROM items i CROSS JOIN bounds w
GROUP BY w.n, w.starts_at, w.last_day
ORDER BY w.n;

-- The office's OPDs ranked in 2021 (competition ranks), the first five.
WITH figures AS (
  SELECT s.opd_id, s.district_id, s.total_hundredths AS total, b.zone
  FROM score_records s
  JOIN assessment_periods p ON p.id = s.period_id
  JOIN districts d ON d.id = s.district_id
  JOIN methodology_bands b ON b.methodology_id = s.methodology_id AND b.code = s.band_code
  WHERE p.year = 2021 AND d.office_id = {office_id} AND s.opd_id IS NOT NULL
    AND s.kind = 'OFFICIAL' AND s.is_current),
ranked AS (
  SELECT f.*, RANK() OVER (ORDER BY f.total DESC) AS rank, COUNT(*) OVER () AS out_of FROM figures f)
SELECT r.rank, r.out_of, o.name, d.name AS district, r.total, r.zone
FROM ranked r JOIN opds o ON o.id = r.opd_id JOIN districts d ON d.id = r.district_id
ORDER BY r.rank, o.name, o.id LIMIT 5;
