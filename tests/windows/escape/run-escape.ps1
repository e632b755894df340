# Attacks on the Windows sandbox, run through cordon.exe on a real Windows machine. Each prints PASS (the sandbox
# held), FAIL (it did not) or SKIP (with the reason). Exit code: the number of FAILs.
# Usage (see README.md):  powershell -ExecutionPolicy Bypass -File run-escape.ps1 -Bin <folder with cordon.exe>
param(
  [Parameter(Mandatory = $true)][string]$Bin,
  [switch]$WithSetup  # `cordon.exe setup` has been run: also check reads and the network
)
$ErrorActionPreference = 'Stop'
$cordon = Join-Path $Bin 'cordon.exe'
$probe = Join-Path $Bin 'cordon_probe.exe'
if ((Get-Command wine -ErrorAction SilentlyContinue) -or (Test-Path 'HKCU:\Software\Wine')) {
  Write-Output 'SKIP all: this is Wine, which does not enforce tokens, ACLs or firewall rules'; exit 0
}
$root = Join-Path $env:TEMP ("cordon-escape-" + [guid]::NewGuid())
$ws = Join-Path $root 'ws'
$outside = Join-Path $root 'outside'
New-Item -ItemType Directory -Force -Path "$ws\.git\hooks", $outside | Out-Null
Set-Content "$ws\.git\config" "[core]"
$policy = Join-Path $ws 'policy.toml'
if ($WithSetup) {
  Set-Content $policy "version = 1`nextends = `"workspace-write`""
} else {
  Set-Content $policy "version = 1`nextends = `"workspace-write`"`nbest_effort = true`n[network]`nmode = `"full`""
}
$script:fails = 0

function Sandboxed([string[]]$cmd) {
  $out = & $cordon run --no-redact --policy $policy -w $ws -- @cmd 2>&1 | Out-String
  return @{ Code = $LASTEXITCODE; Out = $out }
}
function Report([string]$name, [bool]$held, [string]$detail) {
  if ($held) { Write-Output "PASS $name" } else { Write-Output "FAIL $name $detail"; $script:fails++ }
}
function Write-Refused([string]$name, [string]$path) {
  $r = Sandboxed @($probe, 'write', $path)
  Report $name (($r.Out -notmatch '(?m)^ok') -and -not (Test-Path -LiteralPath $path -ErrorAction SilentlyContinue)) $r.Out
}

# Control: the workspace is writable (else every "refused" below proves nothing).
$r = Sandboxed @($probe, 'write', "$ws\made.txt")
Report 'control: write inside the workspace' ($r.Out -match '(?m)^ok') $r.Out

Write-Refused 'write outside the workspace' "$outside\escaped.txt"
Write-Refused 'write to the user profile' "$env:USERPROFILE\cordon-escaped.txt"
Write-Refused 'write to C:\Windows\Temp' "C:\Windows\Temp\cordon-escaped.txt"
Write-Refused 'git hook' "$ws\.git\hooks\pre-commit"
Write-Refused 'git hook, case variant' "$ws\.GiT\HOOKS\post-checkout"
Write-Refused 'git hook, trailing dot' "$ws\.git\hooks.\pre-push"
Write-Refused 'git config' "$ws\.git\config"
Write-Refused 'git config, alternate data stream' "$ws\.git\config:payload"
Write-Refused 'git hooks through $INDEX_ALLOCATION' "$ws\.git::`$INDEX_ALLOCATION\hooks\x"
$short = (cmd /c "for %I in (`"$ws\.git\hooks`") do @echo %~sI").Trim()
if ($short -match '~') { Write-Refused 'git hooks through its 8.3 name' "$short\x" } else { Write-Output 'SKIP 8.3 name: 8.3 names are off on this volume' }

# A junction planted in the workspace pointing out of it, then written through.
$r = Sandboxed @('cmd', '/c', "mklink /J `"$ws\out`" `"$outside`"")
if (Test-Path "$ws\out") { Write-Refused 'write through a junction out of the workspace' "$ws\out\via-junction.txt" }
else { Write-Output 'PASS junction creation refused' }
# The next run must not propagate the workspace's ACE through it either.
$r = Sandboxed @($probe, 'write', "$outside\after-second-run.txt")
Report 'junction: ACE not propagated on the next run' (-not (Test-Path "$outside\after-second-run.txt")) $r.Out

# Symbolic link (needs developer mode or a privilege; refused is also a pass).
$r = Sandboxed @('cmd', '/c', "mklink `"$ws\link.txt`" `"$outside\target.txt`"")
if (Test-Path "$ws\link.txt") { Write-Refused 'write through a symlink out of the workspace' "$ws\link.txt" }
else { Write-Output 'PASS symlink creation refused' }

# The sandbox must not be able to edit the ACL that confines it.
$r = Sandboxed @('icacls', $outside, '/grant', "*S-1-1-0:(OI)(CI)F")
Write-Refused 'icacls grant then write outside' "$outside\after-icacls.txt"
$r = Sandboxed @('icacls', "$ws\.git\hooks", '/remove:d', '*S-1-1-0')
Write-Refused 'remove the deny ACE then write a hook' "$ws\.git\hooks\post-merge"

# start / ShellExecute: nothing may open outside the job (a browser, an editor).
$marker = "cordon-escape-" + [guid]::NewGuid()
$before = @(Get-Process | Select-Object -ExpandProperty Id)
$r = Sandboxed @('cmd', '/c', "start https://example.invalid/$marker")
$r = Sandboxed @('cmd', '/c', "start notepad.exe")
Start-Sleep -Seconds 3
$new = Get-CimInstance Win32_Process | Where-Object { $before -notcontains $_.ProcessId -and
  ($_.CommandLine -match $marker -or $_.Name -eq 'notepad.exe') }
Report 'start URL/program runs nothing outside the sandbox' ($null -eq $new) ($new | Out-String)

# A PATH stub in the workspace must not be what `cordon.exe run -- git` runs.
Copy-Item $probe "$ws\git.exe"
# The stub (the probe) prints nothing for --version and exits 2; real git prints its version, or cordon says
# "not found" when git is not installed.
$r = & $cordon run --no-redact --policy $policy -w $ws -- git --version 2>&1 | Out-String
Report 'PATH stub in the workspace is not run' ($r -match 'git version|not found') $r

# Nothing the command started survives it.
$r = Sandboxed @('cmd', '/c', "start /b $probe sleep 60 & exit 0")
Start-Sleep -Seconds 2
$left = Get-Process cordon_probe -ErrorAction SilentlyContinue
Report 'no process outlives the command' ($null -eq $left) ($left | Out-String)

if ($WithSetup) {
  $r = Sandboxed @($probe, 'read', "$env:USERPROFILE\.ssh")
  Report 'read ~/.ssh' ($r.Out -notmatch '(?m)^ok') $r.Out
  $r = Sandboxed @('powershell', '-NoProfile', '-Command', "(Invoke-WebRequest -UseBasicParsing https://example.com -TimeoutSec 5).StatusCode")
  Report 'network: direct HTTPS' ($r.Out -notmatch '200') $r.Out
  $r = Sandboxed @('nslookup', 'example.com', '1.1.1.1')
  Report 'network: DNS to a public resolver' ($r.Out -notmatch 'Address(es)?:\s+\d+\.\d+\.\d+\.\d+\s*$') $r.Out
  $r = Sandboxed @('ping', '-n', '1', '-w', '1000', '1.1.1.1')
  Report 'network: ICMP' ($r.Out -notmatch 'TTL=') $r.Out
  $r = Sandboxed @('cmd', '/c', 'dir \\127.0.0.1\c$')
  Report 'network: SMB to loopback' ($r.Code -ne 0) $r.Out
} else {
  Write-Output 'SKIP reads and network: run `cordon.exe setup` as administrator, then pass -WithSetup'
}

Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue
& $cordon setup --undo | Out-Null
Write-Output "failures: $script:fails"
exit $script:fails
