# Texts read by screen readers only (accessibility): keys prefixed A11y_.
T = [
 ("A11y_SignInAsPrefix", "Sign in as", "登录为"),
]
