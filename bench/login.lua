-- wrk: full logins (user ID, university password, second password) of the bench student.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = os.getenv("BENCH_BASE")
wrk.body = os.getenv("BENCH_LOGIN_FORM")
