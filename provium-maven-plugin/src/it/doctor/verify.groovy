// This host is where the ITs run, so it has what guests need (scripts/bootstrap installed it): the first run passes.
def log = new File(basedir, 'build.log').text
def runs = log.split(/Scanning for projects/)
assert runs.size() == 3
def first = runs[1]
assert first =~ /\[INFO\] QEMU\s+OK\s+qemu-system-x86_64 \d+\.\d+/
assert first =~ /\[INFO\] guest kernel\s+OK\s+\S+ \(\/boot\/vmlinuz-/
assert first =~ /\[INFO\] busybox\s+OK\s+\/bin\/busybox \(static\)/
assert first =~ /KVM\s+(OK|WARN)/
assert first =~ /cache dir\s+(OK|WARN)\s+\S+ \([\d.]+ (GiB|MiB) free\)/
assert first =~ /free memory\s+(OK|FAIL)/
assert first.contains('BUILD SUCCESS') || first.contains('free memory  FAIL')
def second = runs[2]
assert second =~ /\[ERROR\] QEMU\s+FAIL\s+\/nonexistent\/qemu-system-x86_64 not found on PATH\s+apt-get install qemu-system-x86/
assert second.contains('provium:doctor found 1 problem')
assert second.contains('BUILD FAILURE')
return true
