import java.util.*;

/* Keeps 8 MiB blocks forever: far over the 64 MiB limit. */
public class Main {
	public static void main(String[] args) {
		List<long[]> keep = new ArrayList<>();
		for (int i = 0; i < 1000; i++)
			keep.add(new long[1 << 20]);
		System.out.println(keep.size());
	}
}
