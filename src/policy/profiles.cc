#include "policy/profiles.h"

namespace cordon::policy {
namespace {

// System directories every sandbox can read. $HOME, /root, /home, /run, /var, /srv, /mnt and /media are
// not among them: personal data and service sockets stay out of sight unless a policy adds them.
const char* const kSystemRead[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"};

// Tool chains and configuration in $HOME that ordinary builds need and that hold no credentials.
const char* const kHomeToolchains[] = {"~/.gitconfig", "~/.config/git", "~/.pyenv", "~/.rustup", "~/.cargo/bin",
                                       "~/.local/bin", "~/.nvm", "~/.volta", "~/.sdkman/candidates", "~/go/bin"};

// Inside writable roots these stay read-only: an agent must not plant code that runs later outside the sandbox.
const char* const kProtectedInWorkspace[] = {"{workspace}/.git/hooks", "{workspace}/.git/config",
                                             "{workspace}/.cordon", "{workspace}/.cordon.toml"};


template <size_t N>
void Append(std::vector<PathEntry>& out, const char* const (&paths)[N], const std::string& origin) {
  for (const char* p : paths) out.push_back({p, {origin, 0}});
}

Policy Base(const std::string& name) {
  Policy p;
  p.name = name;
  const std::string origin = "profile " + name;
  Append(p.fs.read, kSystemRead, origin);
  Append(p.fs.read, kHomeToolchains, origin);
  for (const std::string& d : DefaultDenyRead()) p.fs.deny_read.push_back({d, {origin, 0}});
  p.exec.rules = DefaultExecRules(origin);
  p.alerts = DefaultAlertRules(origin);
  return p;
}

ExecRule Deny(std::string id, std::vector<std::string> programs, std::optional<std::vector<std::string>> args,
              std::vector<std::string> any, std::vector<std::string> script_from, std::string reason,
              const std::string& origin) {
  ExecRule r;
  r.id = std::move(id);
  r.programs = std::move(programs);
  r.args = std::move(args);
  r.any = std::move(any);
  r.script_from = std::move(script_from);
  r.action = ExecAction::kDeny;
  r.reason = std::move(reason);
  r.origin = {origin, 0};
  return r;
}

}  // namespace

const std::vector<std::string>& CordonOwnDirs() {
  static const std::vector<std::string> kDirs = {"~/.local/state/cordon", "~/.cache/cordon"};
  return kDirs;
}

const std::vector<std::string>& DefaultDenyRead() {
  static const std::vector<std::string> kList = {
      // SSH, cloud and cluster credentials
      "~/.ssh", "~/.aws", "~/.gnupg", "~/.config/gcloud", "~/.azure", "~/.kube", "~/.docker", "~/.oci",
      "~/.config/doctl", "~/.config/hcloud", "~/.terraform.d", "~/.terraformrc", "~/.vault-token", "~/.boto",
      "~/.s3cfg", "~/.config/rclone", "~/.minikube", "~/.tsh", "~/.fly", "~/.config/heroku", "~/.netlify",
      "~/.config/netlify", "~/.vercel", "~/.config/vercel", "~/.wrangler", "~/.config/.wrangler",
      "~/.supabase", "~/.config/sops", "~/.config/age", "~/.aliyun", "~/.bluemix", "~/.config/op",
      // package registries and VCS hosts
      "~/.netrc", "~/.npmrc", "~/.yarnrc", "~/.yarnrc.yml", "~/.pypirc", "~/.config/pip", "~/.git-credentials",
      "~/.config/git/credentials", "~/.config/gh", "~/.config/hub", "~/.config/glab-cli", "~/.cargo/credentials",
      "~/.cargo/credentials.toml", "~/.gem/credentials", "~/.m2/settings.xml", "~/.m2/settings-security.xml",
      "~/.gradle/gradle.properties", "~/.nuget/NuGet/NuGet.Config", "~/.composer/auth.json",
      "~/.config/composer/auth.json", "~/.pub-cache/credentials.json", "~/.dockercfg",
      // password stores, keyrings, wallets, AI tools' own tokens
      "~/.password-store", "~/.local/share/keyrings", "~/.local/share/kwalletd", "~/.config/keepassxc",
      "~/.pki", "~/.authinfo", "~/.authinfo.gpg", "~/.pgpass", "~/.my.cnf", "~/.mylogin.cnf",
      "~/.config/Bitwarden", "~/.config/1Password", "~/.electrum", "~/.bitcoin", "~/.ethereum",
      "~/.config/solana", "~/.codex", "~/.claude", "~/.claude.json", "~/.config/anthropic", "~/.config/openai",
      "~/.config/github-copilot", "~/.kaggle", "~/.huggingface", "~/.cache/huggingface/token",
      "~/.cache/huggingface/stored_tokens", "~/.config/huggingface", "~/.databrickscfg", "~/.snowsql",
      "~/.dbt", "~/.config/pypoetry/auth.toml", "~/.local/share/python_keyring", "~/.condarc",
      "~/.config/configstore", "~/.config/cloudflared", "~/.cloudflared", "~/.ngrok2", "~/.config/ngrok",
      "~/.sentryclirc", "~/.circleci", "~/.travis", "~/.jfrog", "~/.wakatime.cfg", "~/.config/Code/User/globalStorage",
      "~/.config/Slack", "~/.config/Signal", "~/.config/discord", "~/.local/share/TelegramDesktop",
      "~/.config/JetBrains", "~/.vscode-server/data/User/globalStorage", "~/.gcloud", "~/.ansible/vault",
      "~/.vault_pass", "~/.vault_pass.txt", "~/.config/gcloud-legacy", "~/.terraform.d/credentials.tfrc.json",
      "~/.git-credential-cache", "~/.cache/git/credential", "~/.credentials", "~/.secrets", "~/.keys",
      "~/.keystore", "~/.android/adbkey", "~/.gnome2/keyrings", "~/.local/share/kwalletd5", "~/.irssi",
      // browser profiles and mail
      "~/.mozilla", "~/.thunderbird", "~/.config/google-chrome", "~/.config/chromium",
      "~/.config/BraveSoftware", "~/.config/microsoft-edge", "~/.config/vivaldi", "~/.config/opera",
      "~/snap/firefox", "~/snap/chromium", "~/.var/app",
      // shell and REPL histories (they hold pasted secrets)
      "~/.bash_history", "~/.zsh_history", "~/.history", "~/.python_history", "~/.psql_history",
      "~/.mysql_history", "~/.sqlite_history", "~/.node_repl_history", "~/.lesshst", "~/.viminfo",
      "~/.local/share/fish/fish_history",
      // cordon's own (CordonOwnDirs): the audit trail and the caches
      "~/.local/state/cordon", "~/.cache/cordon",
      // system secrets
      "/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/security/opasswd", "/etc/sudoers",
      "/etc/sudoers.d", "/etc/ssl/private", "/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key",
      "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_dsa_key", "/etc/krb5.keytab", "/etc/wireguard",
      "/etc/NetworkManager/system-connections", "/etc/letsencrypt", "/etc/ipsec.secrets",
      "/etc/ppp/chap-secrets", "/etc/ppp/pap-secrets", "/etc/cordon", "/var/backups"};
  return kList;
}

std::vector<ExecRule> DefaultExecRules(const std::string& origin) {
  std::vector<ExecRule> rules;
  // "/\\*" is the two characters /* as typed (a glob the shell expands to everything under /).
  rules.push_back(Deny("no-privilege-escalation", {"sudo", "su", "doas", "pkexec", "run0"}, std::nullopt, {}, {},
                       "privilege escalation: an agent does not act as root or as another user",
                       origin));
  // +REF is a forced refspec; --force-with-lease is safer than --force but still rewrites shared history.
  rules.push_back(Deny("no-force-push", {"git"}, std::vector<std::string>{"push", "**"},
                       {"--force", "-f", "--force-with-lease", "--force-with-lease=*", "--force-if-includes",
                        "--mirror", "+*"},
                       {}, "force pushes rewrite history others have", origin));
  rules.push_back(Deny("no-pipe-to-interpreter",
                       {"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "python*", "pypy*", "perl",
                        "ruby", "node", "nodejs", "php", "eval", "source", "."},
                       std::nullopt, {}, {"curl", "wget", "fetch", "http", "https"},
                       "runs code fetched from the network without anyone reading it (download it to a file "
                       "first)",
                       origin));
  rules.push_back(Deny("no-remove-root", {"rm"}, std::nullopt,
                       {"/", "/\\*", "~", "~/", "~/\\*", "$HOME", "$HOME/", "$HOME/\\*", "${HOME}", "${HOME}/",
                        "${HOME}/\\*", "--no-preserve-root"},
                       {}, "removes the whole filesystem or the home directory", origin));
  rules.push_back(Deny("no-chmod-root", {"chmod", "chown", "chgrp"}, std::nullopt, {"/", "/\\*"}, {},
                       "changes the mode or owner of the whole filesystem", origin));
  return rules;
}

std::vector<std::string> BuiltinProfileNames() { return {"read-only", "workspace-write", "full"}; }

Result<Policy> BuiltinProfile(std::string_view name) {
  if (name == "read-only") {
    Policy p = Base("read-only");
    p.fs.read.push_back({"{workspace}", {"profile read-only", 0}});
    return p;
  }
  if (name == "workspace-write") {
    Policy p = Base("workspace-write");
    const std::string origin = "profile workspace-write";
    p.fs.write.push_back({"{workspace}", {origin, 0}});
    Append(p.fs.deny_write, kProtectedInWorkspace, origin);
    return p;
  }
  if (name == "full") {
    Policy p;
    p.name = "full";
    p.unrestricted = true;
    p.network.mode = NetworkMode::kFull;
    p.fs.hide_env_files = false;
    // No sandbox, but the command rules still hold: without one they matter most (sudo works there).
    p.exec.rules = DefaultExecRules("profile full");
    p.alerts = DefaultAlertRules("profile full");
    return p;
  }
  return MakeError("unknown profile '" + std::string(name) + "' (known: read-only, workspace-write, full)");
}

}  // namespace cordon::policy
