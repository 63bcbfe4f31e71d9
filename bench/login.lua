-- wrk: POST /api/v1/auth/login with the bench account (phone and password from the environment).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"phone":"%s","password":"%s"}', os.getenv("BENCH_PHONE"), os.getenv("BENCH_PASSWORD"))
