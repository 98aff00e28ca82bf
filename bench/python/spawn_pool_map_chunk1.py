# spawn_pool_map_chunk1: pool_map_chunk1.py run with the spawn start method (the argument
# "spawn" that bench/scenarios/spawn_pool_map_chunk1.ts passes).
from pool_map_chunk1 import main

if __name__ == "__main__":
    main()
