/**
 * The identity provider's HTML: an Okta Sign-In widget look-alike with inline CSS and no external assets,
 * so that both the plain HTTP user agent and a real browser (by accessible role and name) can use it.
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const styles = `
*{box-sizing:border-box}
body{margin:0;background:#f9f9f9;font-family:"Helvetica Neue",Arial,sans-serif;color:#1d1d21;font-size:14px}
.auth-container{width:400px;max-width:100%;margin:60px auto;background:#fff;border:1px solid #ddd;border-radius:3px;box-shadow:0 2px 0 rgba(175,175,175,.12)}
.auth-header{padding:30px 90px 24px;border-bottom:1px solid #ddd;text-align:center}
.auth-header h1{margin:0;font-size:20px;font-weight:600;color:#5e5e5e}
.auth-content{padding:20px 42px 42px}
h2{margin:0 0 16px;text-align:center;font-size:15px;font-weight:600}
.o-form-error{margin:0 0 16px;padding:10px 12px;border:1px solid #e34843;border-radius:3px;background:#fff3f3;color:#e34843}
.field{margin-bottom:16px}
.field label{display:block;margin-bottom:6px;font-weight:600}
.field input[type=text],.field input[type=password]{width:100%;height:40px;padding:6px 8px;border:1px solid #8c8c96;border-radius:3px;font-size:14px}
.checkbox{display:flex;align-items:center;gap:8px;margin-bottom:20px}
.button-primary{width:100%;height:48px;border:0;border-radius:3px;background:#1662dd;color:#fff;font-size:14px;font-weight:600;cursor:pointer}
.auth-footer{margin-top:20px}
.auth-footer a{color:#1662dd;text-decoration:none}
`;

function document(title: string, organisation: string, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main class="auth-container" id="okta-sign-in">
<header class="auth-header"><h1 data-organisation>${escapeHtml(organisation)}</h1></header>
<div class="auth-content">
${content}
</div>
</main>
</body>
</html>
`;
}

export interface SignInPageOptions {
  organisation: string;
  /** Where the form posts to. */
  action: string;
  /** The Cancel link's target. */
  cancelUrl: string;
  username?: string;
  error?: string;
}

export function renderSignInPage(options: SignInPageOptions): string {
  const alert = options.error
    ? `<p role="alert" class="o-form-error">${escapeHtml(options.error)}</p>\n`
    : '';
  return document(
    `${options.organisation} - Sign In`,
    options.organisation,
    `<h2 class="okta-form-title">Sign In</h2>
${alert}<form method="post" action="${escapeHtml(options.action)}" id="form-sign-in" novalidate>
<div class="field">
<label for="okta-signin-username">Username</label>
<input type="text" id="okta-signin-username" name="username" value="${escapeHtml(options.username ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false">
</div>
<div class="field">
<label for="okta-signin-password">Password</label>
<input type="password" id="okta-signin-password" name="password" value="" autocomplete="current-password">
</div>
<div class="checkbox">
<input type="checkbox" id="input-remember" name="remember" value="on">
<label for="input-remember">Keep me signed in</label>
</div>
<button type="submit" class="button button-primary" id="okta-signin-submit">Sign In</button>
</form>
<div class="auth-footer"><a href="${escapeHtml(options.cancelUrl)}" class="link js-cancel">Cancel</a></div>`,
  );
}

export function renderErrorPage(organisation: string, error: string, description?: string): string {
  const detail = description ? `<p class="error-code">${escapeHtml(error)}</p>` : '';
  return document(
    `${organisation} - Error`,
    organisation,
    `<h2>Sign In</h2>
<p role="alert" class="o-form-error">${escapeHtml(description ?? error)}</p>
${detail}`,
  );
}

export function renderMessagePage(organisation: string, heading: string, content: string): string {
  return document(
    `${organisation} - ${heading}`,
    organisation,
    `<h2>${escapeHtml(heading)}</h2>\n${content}`,
  );
}
