//! CPU time per request, read from `/proc` (Linux, database on this machine):
//! a server process's own time, and PostgreSQL's — the postmaster's children
//! alive now plus what the postmaster has reaped of those that ended.

/// Clock ticks a second of `/proc/<pid>/stat` (`getconf CLK_TCK`; 100 on Linux).
fn ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// `(ppid, utime + stime, cutime + cstime)` of a process, in seconds.
fn stat(pid: u32) -> Option<(u32, f64, f64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: count after it.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let number = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    let ppid = fields.get(1)?.parse().ok()?;
    Some((
        ppid,
        (number(11)? + number(12)?) / ticks(),
        (number(13)? + number(14)?) / ticks(),
    ))
}

/// A process's CPU seconds so far, its reaped children's included.
pub fn process(pid: u32) -> Option<f64> {
    stat(pid).map(|(_, own, children)| own + children)
}

/// The postmaster of a backend process.
pub fn postmaster_of(backend: u32) -> Option<u32> {
    stat(backend).map(|(ppid, _, _)| ppid)
}

/// PostgreSQL's CPU seconds so far: the postmaster, its live children and
/// the children it reaped.
pub fn postgres(postmaster: u32) -> Option<f64> {
    let mut total = process(postmaster)?;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some((ppid, own, _)) = stat(pid)
            && ppid == postmaster
        {
            total += own;
        }
    }
    Some(total)
}
