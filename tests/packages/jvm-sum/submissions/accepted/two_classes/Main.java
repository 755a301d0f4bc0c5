public class Main {
	public static void main(String[] args) throws java.io.IOException {
		long[] a = Numbers.read(System.in);
		System.out.println(Numbers.sum(a));
	}
}
