from numbers_sum import total

input()
print(total(input()))
