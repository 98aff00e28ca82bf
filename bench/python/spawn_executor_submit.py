# spawn_executor_submit: executor_submit.py run with the spawn start method (the argument
# "spawn" that bench/scenarios/spawn_executor_submit.ts passes).
from executor_submit import main

if __name__ == "__main__":
    main()
