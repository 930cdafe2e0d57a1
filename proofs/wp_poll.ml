(* proofs/wp_poll.ml — loaded into every frama-c run of proofs/prove.sh (-load-module).
   Frama-C 25's task loop (Task.on_idle) sleeps 50 ms between two polls of its proof tasks, and
   a goal takes a few polls even when its result comes from the WP cache: about half of the
   wall time of a cached run was this sleep (measured).  Task.on_idle is the public hook that
   Frama-C's GUI replaces for the same purpose; this polls every 5 ms instead.  It changes
   when results are collected, never what is proved (prover timeouts are enforced by the
   prover processes and Why3, not by this loop). *)
let () =
  Task.on_idle :=
    fun f -> try while f () do Unix.sleepf 0.005 done with Db.Cancel -> ()
