# spawn_process_start: process_start.py run with the spawn start method (the argument
# "spawn" that bench/scenarios/spawn_process_start.ts passes).
from process_start import main

if __name__ == "__main__":
    main()
